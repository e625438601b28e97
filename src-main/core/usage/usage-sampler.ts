/**
 * Samples every running service's usage on one timer (no timer per service), reading one or two
 * small files per service, kept open (read-usage.ts), or asking a container's engine for one reading
 * (container-usage.ts), and keeps a short history for the sparklines. A sample
 * is not an event: faces get the latest on every status (snapshot, `services status`, each state
 * event) and poll `usageHistories` as they poll `healthHistories`, so 200 services cost no traffic
 * between state changes. CPU % is the difference of two readings over the wall time between them.
 */
import type { UsageSample } from '@shared/contract/usage';
import type { Clock } from '../supervisor/clock';
import { cgroupCounters, processCounters, type CounterSource, type UsageCounters } from './read-usage';

/**
 * What to read for a service now: its cgroup folder, else its main process, or what its driver reads
 * (a container's stats), named by a key that changes with what runs; undefined while nothing runs.
 */
export type UsageTarget = { readonly cgroup: string } | { readonly pid: number } | { readonly key: string; readonly open: () => CounterSource };

const keyOf = (target: UsageTarget) => ('cgroup' in target ? target.cgroup : 'pid' in target ? String(target.pid) : target.key);
const open = (target: UsageTarget) => ('cgroup' in target ? cgroupCounters(target.cgroup) : 'pid' in target ? processCounters(target.pid) : target.open());

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
      const key = target && keyOf(target);
      if (entry.source?.key !== key) {
        entry.source?.files.close();
        entry.source = target && key ? { key, files: open(target) } : undefined;
      }
      const counters = entry.source?.files.read();
      if (!key || !counters) {
        entry.last = undefined;
        entry.history = [];
        continue;
      }
      const last = entry.last;
      const at = counters.at ?? now;
      if (last?.key === key && last.at === at) continue; // a late reading not renewed yet (its reply is under way)
      entry.last = { key, counters, at };
      if (counters.cpuPercent !== undefined) {
        this.#push(entry, counters.cpuPercent, counters.memoryBytes, now);
        continue;
      }
      // A first reading, another process or a recreated cgroup (its counter restarts) gives no rate yet.
      if (!last || last.key !== key || counters.cpuUsec < last.counters.cpuUsec || at <= last.at) continue;
      const cpuPercent = Math.round(((counters.cpuUsec - last.counters.cpuUsec) / 1_000 / (at - last.at)) * 1_000) / 10;
      this.#push(entry, cpuPercent, counters.memoryBytes, now);
    }
  }

  #push(entry: Entry, cpuPercent: number, memoryBytes: number, at: number): void {
    entry.history = [...entry.history.slice(1 - USAGE_HISTORY_LENGTH), { cpuPercent, memoryBytes, at }];
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
