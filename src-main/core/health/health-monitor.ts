/**
 * One scheduler for every service's steady health checks: a single timer on the earliest due check
 * (no timer per service drifting apart), bounded concurrency, each check due again one interval after
 * its last due time. A service turns unhealthy after `retries` failures in a row outside its grace
 * period, and healthy again on the first success.
 */
import type { ProbeResult } from '@shared/contract/health';
import type { HealthCheck } from '@shared/model';
import type { Clock } from '../supervisor/clock';

export interface HealthWatch {
  readonly name: string;
  readonly check: HealthCheck;
  /** The verdict it starts from (true after a passing readiness check). */
  readonly healthy: boolean;
  /** When the service started: failures within the grace period after it do not count. */
  readonly startedAt: number;
  /** Failures in a row already seen (an adopted service's first check that failed): counted towards `retries`. */
  readonly failures?: number;
  /** Every result, with the verdict after thresholds. */
  readonly onResult: (result: ProbeResult, healthy: boolean) => void;
}

interface Entry {
  readonly watch: HealthWatch;
  due: number;
  failures: number;
  healthy: boolean;
  probing: boolean;
}

/** Health check results kept per service (sparklines, `--json`). */
export const HISTORY_LENGTH = 60;

/** The history with `result` added, the oldest dropped beyond HISTORY_LENGTH. */
export const withResult = (history: readonly ProbeResult[], result: ProbeResult): ProbeResult[] => [...history.slice(1 - HISTORY_LENGTH), result];

export class HealthMonitor {
  readonly #entries = new Map<string, Entry>();
  readonly #queue: Entry[] = [];
  #active = 0;
  #timer: unknown;
  #armedFor = Infinity;

  constructor(
    private readonly probe: (check: HealthCheck) => Promise<ProbeResult>,
    private readonly clock: Clock,
    private readonly concurrency = 16,
  ) {}

  /** Starts steady checks of a service that has just become ready. */
  watch(watch: HealthWatch): void {
    const entry: Entry = { watch, due: this.clock.now() + watch.check.interval, failures: watch.failures ?? 0, healthy: watch.healthy, probing: false };
    this.#entries.set(watch.name, entry);
    this.#armAt(entry.due);
  }

  /** Its timer may still fire once, finding nothing due: cheaper than re-aiming it. */
  unwatch(name: string): void {
    this.#entries.delete(name);
  }

  close(): void {
    this.#entries.clear();
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Re-aims the one timer at the earliest due check, by a plain scan (no arrays: it runs every tick). */
  #arm(): void {
    let next = Infinity;
    for (const entry of this.#entries.values()) if (!entry.probing && entry.due < next) next = entry.due;
    this.#armAt(next);
  }

  /** Fires the timer at `due` unless it already fires earlier: a finished check costs no timer churn. */
  #armAt(due: number): void {
    if (this.#armedFor <= due && this.#timer !== undefined) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = due;
    if (due === Infinity) return;
    const timer = this.clock.setTimeout(() => this.#tick(), Math.max(0, due - this.clock.now()));
    timer.unref();
    this.#timer = timer;
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.clock.now();
    for (const entry of this.#entries.values()) {
      if (entry.probing || entry.due > now) continue;
      entry.probing = true;
      this.#queue.push(entry);
    }
    this.#pump();
    this.#arm();
  }

  #pump(): void {
    while (this.#active < this.concurrency && this.#queue.length > 0) void this.#run(this.#queue.shift()!);
  }

  async #run(entry: Entry): Promise<void> {
    this.#active++;
    const result = await this.probe(entry.watch.check);
    this.#active--;
    entry.probing = false;
    if (this.#entries.get(entry.watch.name) === entry) {
      const { check, startedAt } = entry.watch;
      const now = this.clock.now();
      if (result.ok) {
        entry.failures = 0;
        entry.healthy = true;
      } else if (now - startedAt >= check.grace_period && ++entry.failures >= Math.max(1, check.retries)) {
        entry.healthy = false;
      }
      // Due one interval after the last due time, not after the probe ended: no drift. A check that fell
      // behind (a slow probe, a busy machine) skips ahead instead of bursting.
      entry.due = Math.max(entry.due + check.interval, now);
      entry.watch.onResult(result, entry.healthy);
      this.#armAt(entry.due);
    }
    this.#pump();
  }
}

/**
 * Probes a starting service until it answers, its process ends, or the deadline passes. The wait
 * between probes is an eighth of the time it has taken so far, within 20–75 ms: a service that is
 * ready in 100 ms is seen within about 20 ms, a slow starter costs at most ~13 probes a second, and
 * readiness is never seen more than 75 ms late. Along a chain of dependencies these lags add up.
 */
export async function waitUntilReady(
  probe: () => Promise<ProbeResult>,
  options: { readonly deadline: number; readonly ended: Promise<unknown>; readonly clock: Clock },
): Promise<{ ready: boolean; result: ProbeResult | undefined; ended: boolean }> {
  let ended = false;
  void options.ended.then(() => (ended = true));
  const began = options.clock.now();
  let result: ProbeResult | undefined;
  for (;;) {
    if (ended) return { ready: false, result, ended };
    result = await probe();
    if (result.ok) return { ready: true, result, ended: false };
    const now = options.clock.now();
    const delay = Math.min(75, Math.max(20, (now - began) / 8));
    if (now + delay > options.deadline) return { ready: false, result, ended };
    await Promise.race([new Promise((resolve) => options.clock.setTimeout(() => resolve(undefined), delay)), options.ended]);
  }
}
