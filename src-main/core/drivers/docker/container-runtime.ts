/**
 * What docker and compose services share once a container exists: finding it, following it (its end
 * by events, its output into the service's raw log files, its own HEALTHCHECK), and releasing all of
 * that. One per driver, over one connection to the engine.
 */
import Docker from 'dockerode';
import { tailLog } from '../../logs/log-reader';
import type { ProcessRecord } from '../../state/service-record';
import type { RunContext, RunningService } from '../driver';
import { ContainerLogs } from './container-logs';
import { containerCounters } from './container-usage';
import { LABEL } from './container-spec';
import { DockerEvents } from './docker-events';
import { dockerEndpoint, dockerUnreachable } from './docker-endpoint';

export type Inspected = Docker.ContainerInspectInfo;

export class ContainerRuntime {
  readonly docker: Docker;
  readonly events: DockerEvents;
  readonly #logs = new Map<string, ContainerLogs>();

  constructor(env: RunContext['env']) {
    this.docker = new Docker(dockerEndpoint(env).options);
    this.events = new DockerEvents(this.docker, async () => (await dockerUnreachable(env)) ?? 'Docker engine not reachable');
  }

  /** Undefined when there is no such container. */
  async inspect(idOrName: string): Promise<Inspected | undefined> {
    try {
      return await this.docker.getContainer(idOrName).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** The container with all these labels, running ones first. */
  async find(labels: Readonly<Record<string, string>>): Promise<Inspected | undefined> {
    const listed = await this.docker.listContainers({ all: true, filters: { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) } });
    const chosen = listed.find((c) => c.State === 'running') ?? listed[0];
    return chosen ? this.inspect(chosen.Id) : undefined;
  }

  /** Follows a running container. `sinceSeconds` (unix time) is where its log resumes; 0 for all of it. */
  async follow(info: Inspected, context: RunContext, sinceSeconds: number): Promise<RunningService> {
    await this.events.ready();
    const watch = this.events.watch(info.Id);
    const instance = info.Config.Labels[LABEL.instance] ?? info.Id;
    const logs = new ContainerLogs(this.docker, info.Id, context.logs);
    this.#logs.set(instance, logs);
    await logs.follow(sinceSeconds);
    watch.onReconnect(() => void logs.follow(sinceSeconds).catch(() => undefined));
    const record: ProcessRecord = {
      instance,
      pid: info.State.Pid,
      startTime: info.State.StartedAt,
      pgid: info.State.Pid,
      command: ['docker', 'run', info.Config.Image, ...(info.Config.Cmd ?? [])],
      configHash: info.Config.Labels[LABEL.configHash] ?? '',
      startedAt: Date.parse(info.State.StartedAt),
      container: info.Id,
    };
    // Ended before the watch began (an instant exit): its die event is gone, inspect tells how.
    await this.events.recheck(info.Id);
    const test = info.Config.Healthcheck?.Test;
    const hasHealthcheck = test !== undefined && test.length > 0 && test[0] !== 'NONE';
    return {
      process: record,
      exited: watch.exited,
      signals: watch.signals,
      usage: { key: info.Id, open: () => containerCounters(this.docker, info.Id) },
      ...(hasHealthcheck ? { untilHealthy: watch.untilHealthy } : {}),
    };
  }

  /** Adopting after a manager restart: the log resumes a second before its last line (twice beats lost). */
  async resumeAt(context: RunContext): Promise<number> {
    const last = (await tailLog(context.logs, 1)).at(-1);
    return last ? Math.floor(Date.parse(last.time) / 1000) - 1 : 0;
  }

  /** A container recorded while the engine is away: watched, shown unknown until the engine answers. */
  async unreachable(record: ProcessRecord & { container: string }): Promise<RunningService> {
    const watch = this.events.watch(record.container);
    const reason = await this.events.unreachable();
    return { process: record, exited: watch.exited, signals: watch.signals, unreachable: reason };
  }

  release(instance: string): void {
    this.#logs.get(instance)?.close();
    this.#logs.delete(instance);
  }

  close(): void {
    this.events.close();
    this.#logs.forEach((logs) => logs.close());
    this.#logs.clear();
  }
}
