/**
 * Samples every running service's usage on one timer (no timer per service), reading one or two
 * small files per service, kept open (read-usage.ts), and keeps a short history for the sparklines. A sample
 * is not an event: faces get the latest on every status (snapshot, `services status`, each state
 * event) and poll `usageHistories` as they poll `healthHistories`, so 200 services cost no traffic
 * between state changes. CPU % is the difference of two readings over the wall time between them.
 */
import type { UsageSample } from '@shared/contract/usage';
import type { Clock } from '../supervisor/clock';
import { cgroupCounters, processCounters, type CounterSource, type UsageCounters } from './read-usage';

/** What to read for a service now: its cgroup folder, else its main process; undefined while nothing runs. */
export type UsageTarget = { readonly cgroup: string } | { readonly pid: number };

/** Samples kept per service (two minutes at the default interval). */
export const USAGE_HISTORY_LENGTH = 60;

interface Entry {
  readonly target: () => UsageTarget | undefined;
  /** The open files of what it reads now (reopened when that changes). */
  source?: { readonly key: string; readonly files: CounterSource };
  last?: { readonly key: string; readonly counters: UsageCounters; readonly at: number };
  history: UsageSample[];
}

export class UsageSampler {
  readonly #entries = new Map<string, Entry>();
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    everyMs: number,
  ) {
    if (everyMs > 0) {
      this.#timer = setInterval(() => this.sample(), everyMs);
      this.#timer.unref();
    }
  }

  add(name: string, target: () => UsageTarget | undefined): void {
    this.#entries.set(name, { target, history: [] });
  }

  remove(name: string): void {
    this.#entries.get(name)?.source?.files.close();
    this.#entries.delete(name);
  }

  /** One reading of every running service (public for the bench). */
  sample(): void {
    const now = this.clock.now();
    for (const entry of this.#entries.values()) {
      const target = entry.target();
      const key = target && ('cgroup' in target ? target.cgroup : String(target.pid));
      if (entry.source?.key !== key) {
        entry.source?.files.close();
        entry.source = target && key ? { key, files: 'cgroup' in target ? cgroupCounters(target.cgroup) : processCounters(target.pid) } : undefined;
      }
      const counters = entry.source?.files.read();
      if (!key || !counters) {
        entry.last = undefined;
        entry.history = [];
        continue;
      }
      const last = entry.last;
      entry.last = { key, counters, at: now };
      // A first reading, another process or a recreated cgroup (its counter restarts) gives no rate yet.
      if (!last || last.key !== key || counters.cpuUsec < last.counters.cpuUsec || now <= last.at) continue;
      const cpuPercent = Math.round(((counters.cpuUsec - last.counters.cpuUsec) / 1_000 / (now - last.at)) * 1_000) / 10;
      entry.history = [...entry.history.slice(1 - USAGE_HISTORY_LENGTH), { cpuPercent, memoryBytes: counters.memoryBytes, at: now }];
    }
  }

  /** The latest sample of a running service. */
  latest(name: string): UsageSample | undefined {
    return this.#entries.get(name)?.history.at(-1);
  }

  /** Every sampled service's last `last` samples, oldest first. */
  histories(last: number): Record<string, UsageSample[]> {
    const all: Record<string, UsageSample[]> = {};
    for (const [name, entry] of this.#entries) if (entry.history.length > 0) all[name] = entry.history.slice(-last);
    return all;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const entry of this.#entries.values()) entry.source?.files.close();
    this.#entries.clear();
  }
}
