/**
 * docker-compose services: one service of a Compose project, started and stopped with the Compose
 * this machine has (`docker compose` v2, else `docker-compose` v1), then followed like any container
 * (found by Compose's own labels: v1 has no JSON `ps`). Its health is the container's HEALTHCHECK
 * from the compose file unless the registry gives a check. Dependencies are the registry's: Compose
 * is asked to start the one service (`--no-deps`), so the engine orders the graph.
 */
import { execFile } from 'node:child_process';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { expandPlaceholders, type ServiceDefinition } from '@shared/model';
import type { TerminateResult } from '../../process/terminate';
import type { ProcessRecord } from '../../state/service-record';
import {
  StartError,
  type Adoption,
  type ImageBuild,
  type RegistryContext,
  type RunContext,
  type RunningService,
  type ServiceDriver,
  type StartProgress,
} from '../driver';
import { openDockerExec } from '../../terminals/docker-exec';
import type { TerminalProcess, TerminalRequest } from '../../terminals/terminal-process';
import { ContainerRuntime, type Inspected } from '../docker/container-runtime';
import { stopContainer } from '../docker/docker-driver';
import { composeBuild, composeBuildOf, composeImageNames } from './compose-build';
import { detectCompose, type ComposeCommand } from './compose-command';

interface ComposeTarget {
  readonly file: string;
  readonly project: string;
  readonly service: string;
}

export class ComposeDriver implements ServiceDriver {
  readonly #runtime: ContainerRuntime;

  constructor(private readonly env: RunContext['env']) {
    this.#runtime = new ContainerRuntime(env);
  }

  async start(
    service: ServiceDefinition,
    _instance: string,
    _configHash: string,
    context: RunContext,
    progress: StartProgress,
    rebuilt?: ImageBuild,
  ): Promise<RunningService> {
    const target = composeTarget(service, context);
    // Built first when it has a `build:` section (compose-build.ts), as `up --build` would, with its
    // output in the log — unless a rebuild has just built it: `up` then runs what that built.
    if (!rebuilt && composeBuildOf(target)?.build !== false) {
      progress(`docker compose build ${target.service} (project ${target.project})`);
      await composeBuild(await this.#command(), target, this.env, (line) => progress(line, { logOnly: true }));
    }
    progress(`docker compose up ${target.service} (project ${target.project})`);
    await this.#compose(target, ['up', '-d', '--no-deps', target.service]);
    const found = await this.#find(target);
    if (!found) throw new StartError(`compose reported ${target.service} up, but no container of project ${target.project} runs it`);
    return this.#runtime.follow(found, context, Math.floor(Date.parse(found.State.StartedAt) / 1000));
  }

  /** `compose build`; what runs is recreated by the start after (Compose recreates a container whose image changed). */
  async build(service: ServiceDefinition, running: ProcessRecord | undefined, context: RunContext, say: (text: string) => void): Promise<ImageBuild> {
    const target = composeTarget(service, context);
    const section = composeBuildOf(target);
    const image = async () => {
      for (const name of composeImageNames(target, section?.image)) {
        const found = await this.#runtime.docker
          .getImage(name)
          .inspect()
          .catch(() => undefined);
        if (found) return { name, id: found.Id };
      }
      return undefined;
    };
    const before = await image();
    if (section?.build === false) say(`${target.service} runs an image (no build: section in ${target.file}): nothing to build`);
    else await composeBuild(await this.#command(), target, this.env, say);
    const after = await image();
    const container = running?.container ? await this.#runtime.inspect(running.container).catch(() => undefined) : undefined;
    const id = after?.id ?? '';
    // No image found under the names Compose gives (an `image:` with a ${VARIABLE}, a Compose that
    // names builds otherwise): whether it changed is unknown, so it counts as built and what runs is
    // recreated — a needless recreate costs a restart, a missed one leaves the old code running.
    const nothingToBuild = section?.build === false;
    return {
      image: after?.name ?? section?.image ?? target.service,
      id,
      built: !nothingToBuild && (!after || id !== before?.id),
      current: nothingToBuild || (after !== undefined && container?.Image === id),
    };
  }

  async adopt(service: ServiceDefinition, record: ProcessRecord | undefined, _configHash: string, context: RunContext): Promise<Adoption> {
    let found: Inspected | undefined;
    try {
      found = await this.#find(composeTarget(service, context));
    } catch {
      return record?.container ? { run: await this.#runtime.unreachable({ ...record, container: record.container }), notes: [] } : { notes: [] };
    }
    if (!found?.State.Running) return { notes: [] };
    return { run: await this.#runtime.follow(found, context, await this.#runtime.resumeAt(context)), notes: [] };
  }

  /** `docker exec` in the container Compose runs for it: the one followed, else the one its labels find now. */
  async exec(record: ProcessRecord, service: ServiceDefinition, context: RunContext, request: TerminalRequest): Promise<TerminalProcess> {
    const container = record.container ?? (await this.#find(composeTarget(service, context)))?.Id;
    if (!container) throw new Error(`no container of compose project runs '${service.name}': start it first`);
    return openDockerExec(this.#runtime.docker, container, request);
  }

  async stop(record: ProcessRecord, service: ServiceDefinition, context: RunContext): Promise<TerminateResult> {
    const target = composeTarget(service, context);
    await this.#compose(target, ['stop', '-t', String(Math.ceil(service.startup.stop_timeout / 1000)), target.service]);
    // The container we watched, should Compose have stopped another (recreated meanwhile).
    if (!record.container) return { forced: false, survivors: [] };
    return stopContainer(this.#runtime, record.container, service.startup.stop_timeout);
  }

  async reap(record: ProcessRecord): Promise<void> {
    this.#runtime.release(record.instance);
  }

  close(): void {
    this.#runtime.close();
  }

  #find(target: ComposeTarget): Promise<Inspected | undefined> {
    return this.#runtime.find({ 'com.docker.compose.project': target.project, 'com.docker.compose.service': target.service });
  }

  /**
   * Found once and kept: Compose does not leave the machine while the owner runs, and asking again
   * on every start and stop cost an exec each time — one that a loaded machine could slow past its
   * timeout, failing a stop with "not found". A miss is asked again next time.
   */
  #found: ComposeCommand | undefined;

  async #command(): Promise<ComposeCommand> {
    const compose = (this.#found ??= await detectCompose(this.env));
    if (!compose) throw new StartError('Docker Compose not found: neither `docker compose` (v2) nor `docker-compose` (v1) runs on PATH');
    return compose;
  }

  async #compose(target: ComposeTarget, args: readonly string[]): Promise<void> {
    const compose = await this.#command();
    const argv = [...compose.argv.slice(1), '-p', target.project, '-f', target.file, ...args];
    await new Promise<void>((done, fail) =>
      execFile(compose.argv[0]!, argv, { env: { ...this.env }, cwd: dirname(target.file), maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) =>
        error
          ? fail(new StartError(`${compose.argv.join(' ')} ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' ') || error.message}`))
          : done(),
      ),
    );
  }
}

/** The project name Compose itself would derive from the file's folder, unless the registry names one. */
export function composeTarget(service: ServiceDefinition, context: RegistryContext): ComposeTarget {
  const deployment = service.deployment['docker-compose']!;
  const expanded = expandPlaceholders(deployment.file, { home: context.home, registry_dir: context.registryDir });
  const file = isAbsolute(expanded) ? expanded : resolve(context.registryDir, expanded);
  const project =
    deployment.project ??
    basename(dirname(file))
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '');
  return { file, project, service: deployment.service ?? service.name };
}
