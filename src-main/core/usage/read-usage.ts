/**
 * Readings of a service's counters, from files only (no process spawned): the cgroup folder of the
 * service holds every instance and descendant, and cgroup counters are hierarchical, so one file per
 * counter covers the whole tree — CPU from v2 `cpu.stat` (usage_usec, kept on hybrid machines
 * without controllers), memory from v2 `memory.current` or the v1 twin's `memory.usage_in_bytes`.
 * Without a cgroup, the `/proc/<pid>/stat` of every process of its recorded tree, summed (or of its
 * main process alone where no tree is recorded). Each file is opened once and re-read in place (pread at 0
 * makes the kernel regenerate it): an open and a close per read cost ten times the read itself.
 * An open cgroup file does not keep its cgroup from being removed; its reads then fail, and it is let go.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { memoryCgroup } from '../process/cgroup-resources';
import type { ProcessIdentity } from '../process/process-identity';

export interface UsageCounters {
  /** CPU time used so far, in microseconds (only differences mean anything). */
  readonly cpuUsec: number;
  readonly memoryBytes: number;
  /** When a reading that arrives late was taken (a container's stats): rates are over these times, else the sampler's. */
  readonly at?: number;
  /** A rate the engine behind it measured (pod metrics average over their own window): taken as is, cpuUsec unused. */
  readonly cpuPercent?: number;
}

/** Linux's USER_HZ and page size on every architecture Node supports but a few (ia64, ppc64 64 KiB pages). */
const TICK_USEC = 10_000;
const PAGE_BYTES = 4096;
/** Every file read here is a few lines; a longer one is cut (the fields wanted come first). */
const buffer = Buffer.alloc(4096);

/** One counter file, kept open between readings. */
class CounterFile {
  #fd: number | undefined;
  constructor(readonly path: string) {}

  read(): string | undefined {
    try {
      this.#fd ??= openSync(this.path, 'r');
      return buffer.toString('latin1', 0, readSync(this.#fd, buffer, 0, buffer.length, 0));
    } catch {
      this.close();
      return undefined;
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** The counters of one service's cgroup folder or one process, its files kept open until `close`. */
export interface CounterSource {
  read(): UsageCounters | undefined;
  close(): void;
}

export function cgroupCounters(cgroup: string): CounterSource {
  const cpu = new CounterFile(join(cgroup, 'cpu.stat'));
  const at = memoryCgroup(cgroup);
  const memory = at && new CounterFile(join(at.path, at.kind === 'v2' ? 'memory.current' : 'memory.usage_in_bytes'));
  return {
    read: () => {
      const usec = /^usage_usec (\d+)$/m.exec(cpu.read() ?? '')?.[1];
      return usec === undefined ? undefined : { cpuUsec: Number(usec), memoryBytes: Number(memory?.read() ?? 0) || 0 };
    },
    close: () => (cpu.close(), memory?.close()),
  };
}

/** From `/proc/<pid>/stat`: utime, stime, rss and starttime are fields 14, 15, 24 and 22 of proc(5), counted here from the state field after the command. */
function statCounters(text: string | undefined): (UsageCounters & { readonly startTime: string }) | undefined {
  const fields = text?.slice(text.lastIndexOf(')') + 2).split(' ');
  if (!fields || fields.length < 22) return undefined;
  return { cpuUsec: (Number(fields[11]) + Number(fields[12])) * TICK_USEC, memoryBytes: Number(fields[21]) * PAGE_BYTES, startTime: fields[19]! };
}

export function processCounters(pid: number): CounterSource {
  const stat = new CounterFile(`/proc/${pid}/stat`);
  return { read: () => statCounters(stat.read()), close: () => stat.close() };
}

/**
 * Without a cgroup, the sum over a recorded process tree (process-tree.ts): each member's stat file
 * kept open while it is one, believed only while its start time is the recorded one. A member that
 * exits takes its CPU time with it; the sampler reads the drop as a restart and skips one rate.
 */
export function treeCounters(members: () => readonly ProcessIdentity[]): CounterSource {
  const files = new Map<string, CounterFile>();
  const close = () => (files.forEach((file) => file.close()), files.clear());
  return {
    read: () => {
      const seen = new Set<string>();
      let sum: UsageCounters | undefined;
      for (const { pid, startTime } of members()) {
        const key = `${pid}/${startTime}`;
        seen.add(key);
        const file = files.get(key) ?? files.set(key, new CounterFile(`/proc/${pid}/stat`)).get(key)!;
        const counters = statCounters(file.read());
        if (counters?.startTime !== startTime) continue;
        sum = { cpuUsec: (sum?.cpuUsec ?? 0) + counters.cpuUsec, memoryBytes: (sum?.memoryBytes ?? 0) + counters.memoryBytes };
      }
      for (const [key, file] of files) {
        if (seen.has(key)) continue;
        file.close();
        files.delete(key);
      }
      return sum;
    },
    close,
  };
}
