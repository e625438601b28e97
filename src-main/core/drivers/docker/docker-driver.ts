/**
 * Docker-mode services as containers on the local engine (dockerode). Each container is named after
 * its service and labelled with our home, service, instance and config hash: a later manager finds
 * and adopts it; a changed configuration recreates it; a container of that name we did not make is
 * never touched.
 */
import type { ServiceDefinition } from '@shared/model';
import type { TerminateResult } from '../../process/terminate';
import type { ProcessRecord } from '../../state/service-record';
import { StartError, type Adoption, type ImageBuild, type RunContext, type RunningService, type ServiceDriver, type StartProgress } from '../driver';
import { containerName, containerSpec, LABEL, MANAGED_BY, ownedBy } from './container-spec';
import { ContainerRuntime, type Inspected } from './container-runtime';
import { buildServiceImage, removeEarlierBuilds } from './image-build';
import { ensureImage } from './image-pull';
import { openDockerExec } from '../../terminals/docker-exec';
import type { TerminalProcess, TerminalRequest } from '../../terminals/terminal-process';

export class DockerDriver implements ServiceDriver {
  readonly #runtime: ContainerRuntime;

  constructor(env: RunContext['env']) {
    this.#runtime = new ContainerRuntime(env);
  }

  async start(
    service: ServiceDefinition,
    instance: string,
    configHash: string,
    context: RunContext,
    progress: StartProgress,
    rebuilt?: ImageBuild,
  ): Promise<RunningService> {
    const runtime = this.#runtime;
    const name = containerName(service);
    const existing = await runtime.inspect(name);
    if (existing && !ownedBy(existing.Config.Labels, service.name, context.home)) {
      throw new StartError(
        `a container named '${name}' exists that provisioning does not manage (image ${existing.Config.Image}, ${existing.State.Status}); it is left untouched: remove or rename it, or set deployment.docker.container_name`,
      );
    }
    const deployment = service.deployment.docker!;
    // Built (or found up to date) before anything is removed: a failed build leaves the container there.
    // A rebuild's image is the one it built: built again here, a change since could fail after the stop.
    const built = !deployment.build
      ? undefined
      : rebuilt
        ? { tag: rebuilt.image, id: rebuilt.id }
        : await buildServiceImage(runtime.docker, service, context, (text, step) => progress(text, step ? undefined : { logOnly: true }));
    if (existing) {
      const sameConfig = existing.Config.Labels[LABEL.configHash] === configHash;
      const sameImage = !built || existing.Image === built.id;
      if (existing.State.Running && sameConfig && sameImage) return runtime.follow(existing, context, 0);
      progress(
        !sameConfig
          ? `recreating ${name}: its configuration changed`
          : !sameImage
            ? `recreating ${name}: its image was rebuilt`
            : `replacing the stopped container ${name}`,
      );
      await runtime.docker.getContainer(existing.Id).remove({ force: true });
    }
    if (!built) await ensureImage(runtime.docker, { image: deployment.image!, pull: deployment.pull }, progress);
    await this.#ensureNetwork(deployment.network);
    const spec = containerSpec(service, instance, configHash, context);
    const container = await runtime.docker.createContainer(built ? { ...spec, Image: built.tag } : spec);
    await runtime.events.ready();
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      const message = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
      const port = /:(\d+) failed: port is already allocated/.exec(message)?.[1];
      throw new StartError(
        port ? `host port ${port} is already allocated (another container or process holds it)` : `docker could not start ${name}: ${message.trim()}`,
      );
    }
    if (built) await removeEarlierBuilds(runtime.docker, service.name, context.home, built.id);
    return runtime.follow(await container.inspect(), context, 0);
  }

  async build(service: ServiceDefinition, running: ProcessRecord | undefined, context: RunContext, say: (text: string) => void): Promise<ImageBuild> {
    const built = await buildServiceImage(this.#runtime.docker, service, context, (text) => say(text));
    const container = running?.container ? await this.#runtime.inspect(running.container).catch(() => undefined) : undefined;
    return { image: built.tag, id: built.id, built: built.built, current: container?.Image === built.id };
  }

  async adopt(service: ServiceDefinition, record: ProcessRecord | undefined, _configHash: string, context: RunContext): Promise<Adoption> {
    let found: Inspected | undefined;
    try {
      found = (record?.container && (await this.#runtime.inspect(record.container))) || (await this.#runtime.inspect(containerName(service)));
    } catch {
      return record?.container ? { run: await this.#runtime.unreachable({ ...record, container: record.container }), notes: [] } : { notes: [] };
    }
    if (!found?.State.Running || !ownedBy(found.Config.Labels, service.name, context.home)) return { notes: [] };
    return { run: await this.#runtime.follow(found, context, await this.#runtime.resumeAt(context)), notes: [] };
  }

  stop(record: ProcessRecord, service: ServiceDefinition): Promise<TerminateResult> {
    return stopContainer(this.#runtime, record.container ?? containerName(service), service.startup.stop_timeout);
  }

  /** The stopped container stays (for `docker logs` and inspection) until the next start replaces it. */
  async reap(record: ProcessRecord): Promise<void> {
    this.#runtime.release(record.instance);
  }

  /** `docker exec` in its container (docker-exec.ts). */
  exec(record: ProcessRecord, service: ServiceDefinition, _context: RunContext, request: TerminalRequest): Promise<TerminalProcess> {
    return openDockerExec(this.#runtime.docker, record.container ?? containerName(service), request);
  }

  close(): void {
    this.#runtime.close();
  }

  async #ensureNetwork(name: string): Promise<void> {
    if (['bridge', 'host', 'none'].includes(name)) return;
    const docker = this.#runtime.docker;
    if (
      await docker
        .getNetwork(name)
        .inspect()
        .then(
          () => true,
          () => false,
        )
    )
      return;
    await docker
      .createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL.managedBy]: MANAGED_BY } })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 409) throw error; // another start made it meanwhile
      });
  }
}

/** SIGTERM, then SIGKILL after the timeout (Docker's own stop); forced when it had to kill. */
export async function stopContainer(runtime: ContainerRuntime, idOrName: string, timeoutMs: number): Promise<TerminateResult> {
  const container = runtime.docker.getContainer(idOrName);
  const began = Date.now();
  try {
    await container.stop({ t: Math.ceil(timeoutMs / 1000) });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 304 && status !== 404) throw error;
  }
  const state = await container.inspect().then(
    (info) => info.State,
    () => undefined,
  );
  return { forced: state?.ExitCode === 137 && Date.now() - began >= timeoutMs, survivors: [] };
}
