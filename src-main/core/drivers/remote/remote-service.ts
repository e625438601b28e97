/**
 * A remote service: it runs elsewhere, so it has no lifecycle here. It is watched, not supervised:
 * its check (the registry's, else a GET of its URL) runs on the shared monitor from the moment the
 * engine starts, and it is `external` while that passes, `unhealthy` when it does not. Start and
 * stop say so instead of acting. The bearer token comes from an env reference, read at each probe
 * from what the client that last started it gave (so a rotated token is used from its next start),
 * and only ever goes into the request's header: never into a status, a message or a log.
 */
import type { ProbeResult } from '@shared/contract/health';
import type { ServiceStatus } from '@shared/contract/service-state';
import type { HealthCheck, ServiceDefinition } from '@shared/model';
import { withResult, type HealthMonitor } from '../../health/health-monitor';
import type { Clock } from '../../supervisor/clock';

export interface RemoteDeps {
  readonly probe: (check: HealthCheck) => Promise<ProbeResult>;
  readonly monitor: HealthMonitor;
  readonly emit: (status: ServiceStatus) => void;
  readonly clock: Clock;
}

export class RemoteService {
  /** What it is checked with; the engine runs it in the service's own context (its given values). */
  readonly check: HealthCheck;
  /** The variable whose value each probe of `check` sends as `Authorization: Bearer …`, if any. */
  readonly bearer: string | undefined;
  #status: ServiceStatus;
  #history: ProbeResult[] = [];

  constructor(
    public service: ServiceDefinition,
    private readonly deps: RemoteDeps,
  ) {
    this.check = effectiveCheck(service);
    this.bearer = bearerOf(service, this.check);
    this.#status = {
      name: service.name,
      mode: 'remote',
      state: 'unknown',
      reason: `remote (${service.deployment.remote!.url}): not checked yet`,
      since: deps.clock.now(),
      restarts: 0,
    };
  }

  get status(): ServiceStatus {
    return this.#status;
  }

  get healthHistory(): readonly ProbeResult[] {
    return this.#history;
  }

  /** It runs elsewhere: nothing of ours keeps a manager alive for it, or starts it. */
  readonly active = false;
  readonly wanted = false;

  /** Its dependencies or description changed (a changed check or URL makes a new RemoteService). */
  redefine(service: ServiceDefinition): void {
    this.service = service;
  }

  want(): Promise<void> {
    return Promise.resolve();
  }

  /** Never wanted (it runs elsewhere): nothing to start. */
  startIfWanted(): Promise<ServiceStatus> {
    return Promise.resolve(this.#status);
  }

  /** Checks it now, then keeps checking it on its interval. */
  async adopt(): Promise<ServiceStatus> {
    const result = await this.deps.probe(this.check);
    this.#record(result);
    this.deps.monitor.watch({
      name: this.service.name,
      check: this.check,
      healthy: result.ok,
      startedAt: this.deps.clock.now(),
      onResult: (next, healthy) => this.#record(next, healthy),
    });
    return this.#status;
  }

  /**
   * Not started from here: checks it now and says where it runs. `launching` takes the client's
   * values (its token) first, so the check uses them from now on.
   */
  async start(launching?: () => void): Promise<ServiceStatus> {
    launching?.();
    this.#record(await this.deps.probe(this.check));
    return this.#status;
  }

  restart(launching?: () => void): Promise<ServiceStatus> {
    return this.start(launching);
  }

  /** Not stopped from here either; its state stays what its check says. */
  async stop(): Promise<ServiceStatus> {
    return this.#status;
  }

  preflightProblems(): Promise<string[]> {
    return Promise.resolve([]);
  }

  dependencyProblem(): void {}

  block(): void {}

  detach(): Promise<void> {
    this.deps.monitor.unwatch(this.service.name);
    return Promise.resolve();
  }

  #record(result: ProbeResult, healthy = result.ok): void {
    this.#history = withResult(this.#history, result);
    const state = healthy ? 'external' : 'unhealthy';
    const where = `remote (${this.service.deployment.remote!.url}), not managed here`;
    const reason = healthy ? `${where}: ${result.message}` : `${where}: its check fails: ${result.message}`;
    if (state === this.#status.state && reason === this.#status.reason) {
      this.#status = { ...this.#status, health: result };
      return;
    }
    this.#status = { name: this.service.name, mode: 'remote', state, reason, since: this.deps.clock.now(), restarts: 0, health: result };
    this.deps.emit(this.#status);
  }
}

/**
 * The registry's check, else a GET of the service's URL; an HTTP check of the service's own origin
 * gets its TLS options (and its bearer token: see bearerOf).
 */
function effectiveCheck(service: ServiceDefinition): HealthCheck {
  const remote = service.deployment.remote!;
  const check: HealthCheck = service.health_check ?? {
    type: 'http',
    interval: 10_000,
    timeout: 5_000,
    retries: 1,
    grace_period: 0,
    on_unhealthy: 'ignore',
    http: { url: remote.url, method: 'GET', expected_status: '200-399', headers: {} },
  };
  const http = check.http;
  if (check.type !== 'http' || !http || new URL(http.url).origin !== new URL(remote.url).origin) return check;
  return { ...check, http: { ...http, ...(http.tls || !remote.tls ? {} : { tls: remote.tls }) } };
}

/** The token's variable, when the check requests the service's own origin and sets no Authorization itself. */
function bearerOf(service: ServiceDefinition, check: HealthCheck): string | undefined {
  const remote = service.deployment.remote!;
  const http = check.http;
  if (!remote.token || check.type !== 'http' || !http || Object.hasOwn(http.headers, 'Authorization')) return undefined;
  return new URL(http.url).origin === new URL(remote.url).origin ? remote.token.env : undefined;
}
