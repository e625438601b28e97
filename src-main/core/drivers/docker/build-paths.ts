/**
 * Where a docker service's build (docker.build) reads from: its context folder (relative to the
 * registry file) and its Dockerfile (relative to the context), and what keeps a build from starting
 * there — said by preflight before a start, and by the build itself. Light on purpose: the modes
 * table loads it on every command.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { expandPlaceholders, type ServiceDefinition } from '@shared/model';
import type { RegistryContext } from '../driver';

export type DockerBuild = NonNullable<NonNullable<ServiceDefinition['deployment']['docker']>['build']>;

export interface BuildPaths {
  /** The context folder, absolute. */
  readonly context: string;
  /** The Dockerfile, absolute. */
  readonly dockerfile: string;
  /** The Dockerfile as the engine names it: a path inside the context, with `/`. */
  readonly dockerfileInContext: string;
}

/** Context relative to the registry file (placeholders expanded), Dockerfile relative to the context. */
export function buildPaths(build: DockerBuild, context: Pick<RegistryContext, 'home' | 'registryDir'>): BuildPaths {
  const expand = (text: string) => expandPlaceholders(text, { home: context.home, registry_dir: context.registryDir });
  const folder = resolve(context.registryDir, expand(build.context));
  const written = expand(build.dockerfile);
  const dockerfile = isAbsolute(written) ? written : resolve(folder, written);
  return { context: folder, dockerfile, dockerfileInContext: relative(folder, dockerfile).split(sep).join('/') };
}

/** What keeps a build from starting, with the path (preflight says these before a start tries). */
export async function buildPathProblems(name: string, paths: BuildPaths): Promise<string[]> {
  const where = `services.${name}.deployment.docker.build`;
  const kind = async (path: string) => (await stat(path).catch(() => undefined))?.isDirectory();
  const folder = await kind(paths.context);
  if (folder !== true) return [`build context ${paths.context} ${folder === false ? 'is not a folder' : 'does not exist'} (${where}.context)`];
  if (paths.dockerfileInContext.startsWith('../') || isAbsolute(paths.dockerfileInContext)) {
    return [`Dockerfile ${paths.dockerfile} is outside the build context ${paths.context} (${where}.dockerfile): the engine reads it from the context`];
  }
  if ((await kind(paths.dockerfile)) !== false) return [`Dockerfile ${paths.dockerfile} does not exist (${where}.dockerfile)`];
  return [];
}
