/**
 * A docker service's image built here (docker.build) with the engine's build API. The image is
 * named by a hash of what goes into it (build-context.ts) — `provisioning/<service>:<hash12>`, or
 * the registry's `image` with the hash in a label — so an unchanged context is not built again
 * ("up to date"). The build's output goes into the service's log as lifecycle lines, its steps
 * ("step 2/5 RUN …") as the start's progress; a failed step is a start error that names it. The
 * images of earlier builds go once the container of a new one runs (removeEarlierBuilds).
 */
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import type { ServiceDefinition } from '@shared/model';
import { readLines } from '../../read-lines';
import { StartError, type RegistryContext } from '../driver';
import { resolveEnv } from '../resolve-env';
import { buildHash, contextFiles } from './build-context';
import { buildHashKey } from './build-hash-key';
import { buildPathProblems, buildPaths } from './build-paths';
import { LABEL, MANAGED_BY } from './container-spec';

export const BUILD_HASH_LABEL = 'dev.provisioning.build-hash';

/** A line of build output longer than this is cut (a minified bundle echoed by a RUN). */
const MAX_LINE_CHARS = 4_096;

/** `text` for the log; `step`: it is a step of the build (shown as the start's progress, not only logged). */
export type BuildReporter = (text: string, step: boolean) => void;

export interface BuiltImage {
  /** The name containers are created from. */
  readonly tag: string;
  /** The engine's image id (sha256:…). */
  readonly id: string;
  /** False: the image with this hash was there already. */
  readonly built: boolean;
}

interface BuildEvent {
  readonly stream?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly ID?: string };
}

/** tar-fs as dockerode itself resolves it (its own dependency, whatever version the project tree hoists). */
const tarFs = (): { pack(cwd: string, options: { entries: string[] }): NodeJS.ReadableStream } => {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('dockerode'))('tar-fs');
};

export async function buildServiceImage(docker: Docker, service: ServiceDefinition, context: RegistryContext, report: BuildReporter): Promise<BuiltImage> {
  const deployment = service.deployment.docker!;
  const build = deployment.build!;
  const paths = buildPaths(build, context);
  const problems = await buildPathProblems(service.name, paths);
  if (problems.length > 0) throw new StartError(problems.join('; '));
  const args = resolveEnv(build.args, `services.${service.name}.deployment.docker.build.args`, context);
  const files = await contextFiles(paths);
  const hash = await buildHash(paths, files, args, build.target, await buildHashKey(context.home));
  const tag = deployment.image ?? `provisioning/${service.name}:${hash.slice(0, 12)}`;
  const before = await docker
    .getImage(tag)
    .inspect()
    .catch(() => undefined);
  if (before?.Config.Labels?.[BUILD_HASH_LABEL] === hash) {
    report(`image ${tag} up to date (${shortId(before.Id)}): nothing in its build context changed`, false);
    return { tag, id: before.Id, built: false };
  }
  report(`building ${tag} from ${paths.context} (${files.files.length} files, ${mebibytes(files.bytes)})`, true);
  const labels = { [LABEL.managedBy]: MANAGED_BY, [LABEL.home]: context.home, [LABEL.service]: service.name, [BUILD_HASH_LABEL]: hash };
  const stream = await docker.buildImage(tarFs().pack(paths.context, { entries: [...files.files] }), {
    t: tag,
    dockerfile: paths.dockerfileInContext,
    buildargs: args,
    ...(build.target ? { target: build.target } : {}),
    labels,
    rm: true,
    forcerm: true,
  });
  const failure = await followBuild(stream, tag, Object.keys(labels).length, report);
  if (failure) throw new StartError(failure);
  const built = await docker.getImage(tag).inspect();
  report(`built ${tag} (${shortId(built.Id)})`, false);
  return { tag, id: built.Id, built: true };
}

/**
 * Reads the build's events to their end: undefined when it succeeded, else why it failed (with the
 * step). The engine's classic builder adds one LABEL step per label at the end: those `ours` steps
 * are no step of the Dockerfile, and are left out of the count.
 */
function followBuild(stream: NodeJS.ReadableStream, tag: string, ours: number, report: BuildReporter): Promise<string | undefined> {
  let step = '';
  let failure: string | undefined;
  let partial = '';
  const output = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
      const found = /^Step (\d+)\/(\d+) : (.*)$/.exec(cut);
      const total = found ? Number(found[2]) - ours : 0;
      const dockerfileStep = found !== null && Number(found[1]) <= total;
      if (found) step = dockerfileStep ? `step ${found[1]}/${total} (${found[3]})` : 'labelling the image';
      if (cut.trim()) report(found ? `building ${tag}: ${step}` : cut, dockerfileStep);
    }
  };
  return new Promise((resolve) => {
    readLines(
      stream,
      (line) => {
        let event: BuildEvent;
        try {
          event = JSON.parse(line) as BuildEvent;
        } catch {
          return; // not an event of the build API: nothing to say
        }
        if (typeof event.stream === 'string') output(event.stream);
        const error = event.errorDetail?.message ?? event.error;
        if (error) failure = `the build of ${tag} failed${step ? ` at ${step}` : ''}: ${error.trim()}`;
      },
      { maxLineBytes: 1024 * 1024 },
    ).on('close', () => {
      if (partial.trim()) output('\n');
      resolve(failure);
    });
    // A connection that breaks may never end: its error settles the build.
    stream.on('error', (error: Error) => resolve((failure ??= `the build of ${tag} was cut off: ${error.message}`)));
  });
}

/**
 * Earlier builds of this service, once a container of `current` replaced theirs: removed unless a
 * container still uses one (the engine refuses; the next start tries again).
 */
export async function removeEarlierBuilds(docker: Docker, service: string, home: string, current: string): Promise<void> {
  const images = await docker
    .listImages({ filters: { label: [`${LABEL.managedBy}=${MANAGED_BY}`, `${LABEL.home}=${home}`, `${LABEL.service}=${service}`] } })
    .catch(() => []);
  for (const image of images) {
    if (image.Id !== current)
      await docker
        .getImage(image.Id)
        .remove()
        .catch(() => undefined);
  }
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
const mebibytes = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
