/**
 * Follows a Deployment and its pods with the API server's watch (no polling): rollout progress and
 * availability, pods stuck on an image that cannot be pulled, containers in CrashLoopBackOff (with
 * the cluster's own back-off message), the Deployment's end (deleted, or scaled to zero with no pod
 * left), and each pod's log into the service's raw log file. When the watch breaks (the API server
 * away) it says so and re-watches; a relist on return catches what happened meanwhile.
 */
import { Writable } from 'node:stream';
import type { KubeConfig, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { LogFiles } from '../../logs/log-files';
import { RawAppender } from '../../logs/raw-appender';
import { NotReady, type ExitReport, type RunSignal } from '../driver';

const REWATCH_MS = 1_000;
const IMAGE_TROUBLE = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

export class WorkloadWatch {
  readonly exited: Promise<ExitReport>;
  readonly untilHealthy: Promise<string>;
  readonly #listeners: ((signal: RunSignal) => void)[] = [];
  readonly #aborts: AbortController[] = [];
  readonly #followed = new Set<string>();
  readonly #lastLine = new Map<string, string>();
  #end!: (exit: ExitReport) => void;
  #healthy!: (message: string) => void;
  #notReady!: (error: NotReady) => void;
  #deployment: V1Deployment | undefined;
  #pods = new Map<string, V1Pod>();
  #trouble: string | undefined;
  #settled = false;
  #closed = false;
  #unreachable = false;

  constructor(
    private readonly config: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
    private readonly logs: LogFiles,
  ) {
    this.exited = new Promise((resolve) => (this.#end = resolve));
    this.untilHealthy = new Promise((resolve, reject) => {
      this.#healthy = resolve;
      this.#notReady = reject;
    });
    this.untilHealthy.catch(() => undefined);
  }

  get workload(): string {
    return `deployment/${this.name} in ${this.namespace}`;
  }

  signals = (listener: (signal: RunSignal) => void): void => void this.#listeners.push(listener);

  /** `deployment` as read just before: its pods are found by its selector. */
  async begin(deployment: V1Deployment): Promise<void> {
    this.#deployment = deployment;
    await this.#watch(`/apis/apps/v1/namespaces/${this.namespace}/deployments`, { fieldSelector: `metadata.name=${this.name}` }, (phase, object) => {
      if (phase === 'DELETED') return this.#finish({ code: null, signal: null, reason: `${this.workload} was deleted` });
      this.#deployment = object as V1Deployment;
      this.#judge();
    });
    await this.#watch(`/api/v1/namespaces/${this.namespace}/pods`, { labelSelector: selectorOf(deployment) }, (phase, object) => {
      const pod = object as V1Pod;
      if (phase === 'DELETED') this.#pods.delete(pod.metadata!.name!);
      else this.#pods.set(pod.metadata!.name!, pod);
      this.#followLogs(pod);
      this.#judge();
    });
  }

  close(): void {
    this.#closed = true;
    this.#aborts.splice(0).forEach((abort) => abort.abort());
  }

  /** A line for the service's log from what follows the workload beside the watch (its usage). */
  note(text: string): void {
    this.#emit({ kind: 'note', text });
  }

  #emit(signal: RunSignal): void {
    this.#listeners.forEach((listener) => listener(signal));
  }

  /** What the Deployment and its pods say now. */
  #judge(): void {
    const deployment = this.#deployment;
    if (!deployment) return;
    const wanted = deployment.spec?.replicas ?? 1;
    const status = deployment.status ?? {};
    if (wanted === 0 && this.#pods.size === 0) return this.#finish({ code: null, signal: null, reason: `${this.workload} scaled to 0` });
    const rolledOut = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) && (status.updatedReplicas ?? 0) >= wanted;
    const available = wanted > 0 && rolledOut && (status.availableReplicas ?? 0) >= wanted;
    const problem = this.#podProblem();
    if (available) {
      const message = `${this.workload}: ${status.availableReplicas}/${wanted} available`;
      if (!this.#settled) {
        this.#settled = true;
        this.#healthy(message);
      } else if (this.#trouble) this.#emit({ kind: 'recovered', reason: message });
      this.#trouble = undefined;
      return;
    }
    if (!problem || problem.reason === this.#trouble) return;
    this.#trouble = problem.reason;
    if (!this.#settled) {
      this.#settled = true;
      this.#notReady(new NotReady(problem.reason, problem.image ? 'failed' : 'crash-loop'));
    } else this.#emit({ kind: 'trouble', state: problem.image ? 'unhealthy' : 'crash-loop', reason: problem.reason });
  }

  /** A container that cannot start, in the cluster's words. */
  #podProblem(): { reason: string; image: boolean } | undefined {
    for (const pod of this.#pods.values()) {
      for (const container of pod.status?.containerStatuses ?? []) {
        const waiting = container.state?.waiting;
        if (!waiting?.reason) continue;
        if (IMAGE_TROUBLE.has(waiting.reason))
          return { reason: `image ${container.image} cannot be pulled (${waiting.reason}: ${waiting.message ?? 'no detail'})`, image: true };
        if (waiting.reason === 'CrashLoopBackOff') {
          return {
            reason: `CrashLoopBackOff: ${waiting.message ?? 'back-off restarting failed container'} (pod ${pod.metadata?.name}, ${container.restartCount} restarts)`,
            image: false,
          };
        }
      }
    }
    return undefined;
  }

  #finish(exit: ExitReport): void {
    this.close();
    if (!this.#settled) {
      this.#settled = true;
      this.#notReady(new NotReady(exit.reason, 'failed'));
    }
    this.#end(exit);
  }

  /** Opens a watch (the first open fails to the caller); when it breaks, says so and opens it again. */
  async #watch(path: string, query: Record<string, string>, onEvent: (phase: string, object: unknown) => void): Promise<void> {
    const { Watch } = await import('@kubernetes/client-node');
    const open = async (): Promise<void> => {
      const abort = await new Watch(this.config).watch(
        path,
        query,
        (phase, object) => {
          if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') onEvent(phase, object);
        },
        (error: unknown) => {
          if (this.#closed) return;
          if (error) this.#away((error as Error).message);
          setTimeout(() => void reopen(), REWATCH_MS).unref();
        },
      );
      this.#aborts.push(abort);
    };
    const reopen = async (): Promise<void> => {
      if (this.#closed) return;
      try {
        await open();
        if (this.#unreachable) {
          this.#unreachable = false;
          this.#emit({ kind: 'reachable' });
        }
      } catch (error) {
        this.#away((error as Error).message);
        setTimeout(() => void reopen(), REWATCH_MS).unref();
      }
    };
    await open();
  }

  #away(why: string): void {
    if (this.#unreachable) return;
    this.#unreachable = true;
    this.#emit({ kind: 'unreachable', reason: `Kubernetes API server not reachable (${why}); watching again as soon as it answers` });
  }

  /** Each running pod's log, once, timestamped by the cluster so a re-follow repeats nothing. */
  #followLogs(pod: V1Pod): void {
    const name = pod.metadata!.name!;
    if (this.#followed.has(name) || pod.status?.phase !== 'Running') return;
    this.#followed.add(name);
    const container = pod.spec!.containers[0]!.name;
    // At the raw backlog cap the sink waits, and so the follow: the kubelet keeps the lines.
    const file = new RawAppender(this.logs.rawStdout);
    let partial = '';
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        let written = Promise.resolve();
        for (const line of lines) {
          const space = line.indexOf(' ');
          const time = line.slice(0, space);
          if (time <= (this.#lastLine.get(name) ?? '')) continue;
          this.#lastLine.set(name, time);
          const text = `${line.slice(space + 1)}\n`;
          written = written.then(() => file.write(text));
        }
        void written.then(() => done());
      },
      final: (done) => (file.end(), done()),
    });
    void import('@kubernetes/client-node').then(({ Log }) =>
      new Log(this.config)
        .log(this.namespace, name, container, sink, { follow: true, timestamps: true })
        .then((abort) => void this.#aborts.push(abort))
        .catch(() => this.#followed.delete(name)),
    );
  }
}

/** The label selector of a deployment's pods. */
export const selectorOf = (deployment: V1Deployment): string =>
  Object.entries(deployment.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
