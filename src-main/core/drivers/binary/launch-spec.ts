/**
 * Turns a binary service's registry entry into what to execute: placeholders expanded, relative
 * paths resolved at the registry, and its environment: the documented base plus its `env` table.
 */
import { isAbsolute, resolve } from 'node:path';
import { expandPlaceholders, type ServiceDefinition } from '@shared/model';
import { StartError, type RegistryContext, type RunContext } from '../driver';
import { baseEnvironment } from '../base-environment';
import { resolveEnv } from '../resolve-env';
import { resolveRunAs, type RunAs } from '../../process/run-as';

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly shell: boolean;
  /** A forking service's pid file (resolved), which names its main process once the launcher exits. */
  readonly pidFile?: string;
  /** The account it runs as (`user` / `group`), when it is not the manager's. */
  readonly runAs?: RunAs;
}

/** What to execute and where: placeholders expanded, relative paths resolved at the registry. */
export function commandSpec(service: ServiceDefinition, context: RegistryContext): Omit<LaunchSpec, 'env'> {
  const binary = service.deployment.binary;
  if (!binary) throw new StartError(`services.${service.name}.deployment.binary is missing`);
  const expand = (text: string) => expandPlaceholders(text, { home: context.home, registry_dir: context.registryDir });
  const command = expand(binary.command);
  // A bare name is looked up on PATH; anything with a slash is a path, relative to the registry.
  const isPath = !binary.shell && command.includes('/');
  return {
    command: isPath && !isAbsolute(command) ? resolve(context.registryDir, command) : command,
    args: binary.args.map(expand),
    cwd: resolve(context.registryDir, expand(binary.cwd ?? '.')),
    shell: binary.shell,
    ...(binary.pid_file ? { pidFile: resolve(context.registryDir, expand(binary.pid_file)) } : {}),
  };
}

/**
 * The command spec plus its environment: the base (PATH, HOME, locale…) and the registry's table,
 * env references read. Nothing else of the manager's environment: a secret goes only where referenced.
 */
export function launchSpec(service: ServiceDefinition, context: RunContext): LaunchSpec {
  const spec = commandSpec(service, context);
  const binary = service.deployment.binary!;
  const { runAs, problem } = runAsOf(service);
  if (problem) throw new StartError(problem);
  const env = { ...baseEnvironment(context.env), ...runAs?.environment, ...resolveEnv(binary.env, `services.${service.name}.deployment.binary.env`, context) };
  return { ...spec, env, ...(runAs ? { runAs } : {}) };
}

/** The account `user` / `group` name, or the problem that keeps this manager from using it (located). */
export const runAsOf = (service: ServiceDefinition) =>
  resolveRunAs(service.deployment.binary?.user, service.deployment.binary?.group, `services.${service.name}.deployment.binary`);
