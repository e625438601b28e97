/**
 * A running container's CPU and memory through the engine's stats API (no process spawned), for the
 * usage sampler. One `one-shot` request per sampling interval, at most one in flight per container:
 * the engine answers at its next collection tick (it collects once a second), so a reply comes within
 * about a second and `read` returns the latest one that arrived. Measured against one streaming
 * stats connection per container (10 containers, 20 s, this machine): polling every 2 s cost 0.22 ms/s
 * of the manager and 0.70 ms/s of dockerd per container, streaming (one sample a second) 0.29 and
 * 0.95 — and a poll holds no connection open. CPU is the cgroup's total usage (ns) at the engine's
 * own read time, so the rate is over the engine's clock; memory is what `docker stats` shows (usage
 * less inactive file cache).
 */
import type Docker from 'dockerode';
import type { CounterSource, UsageCounters } from '../../usage/read-usage';

type Stats = Partial<Docker.ContainerStats>;

/** Undefined for an answer without the counters (a stopped container: the engine sends zeros and no read time). */
export function countersOfStats(stats: Stats): UsageCounters | undefined {
  const cpuNs = stats.cpu_stats?.cpu_usage?.total_usage;
  const usage = stats.memory_stats?.usage;
  const at = Date.parse(stats.read ?? '');
  if (typeof cpuNs !== 'number' || typeof usage !== 'number' || !Number.isFinite(at) || at <= 0) return undefined;
  const memory = stats.memory_stats?.stats as Record<string, unknown> | undefined;
  const inactive = Number(memory?.['total_inactive_file'] ?? memory?.['inactive_file'] ?? 0) || 0;
  return { cpuUsec: Math.floor(cpuNs / 1_000), memoryBytes: Math.max(0, usage - inactive), at };
}

export function containerCounters(docker: Docker, id: string): CounterSource {
  let latest: UsageCounters | undefined;
  let asking = false;
  let closed = false;
  return {
    read: () => {
      if (!asking && !closed) {
        asking = true;
        docker
          .getContainer(id)
          .stats({ stream: false, 'one-shot': true })
          .then(
            (stats) => (latest = closed ? undefined : countersOfStats(stats)),
            () => (latest = undefined), // gone, or the engine is away: no usage until it answers again
          )
          .finally(() => (asking = false));
      }
      return latest;
    },
    close: () => {
      closed = true;
      latest = undefined;
    },
  };
}
