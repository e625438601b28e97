/**
 * A process is ours only if its pid *and* its start time match what we recorded: pids are reused,
 * start times are not. Linux reads /proc/<pid>/stat; elsewhere `ps` gives the start time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** Opaque, stable for the life of the process: clock ticks since boot on Linux, `ps` lstart elsewhere. */
  readonly startTime: string;
}

interface ProcStat {
  readonly state: string;
  readonly pgid: number;
  readonly startTime: string;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); pgid is field 5, starttime field 22.
  return { state: fields[0]!, pgid: Number(fields[2]), startTime: fields[19]! };
}

function psStartTime(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

const linux = process.platform === 'linux';

/** The identity of a live process, or undefined when it is gone (zombies count as gone). */
export function identify(pid: number): ProcessIdentity | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (linux) {
    const stat = procStat(pid);
    return stat && stat.state !== 'Z' ? { pid, startTime: stat.startTime } : undefined;
  }
  const startTime = psStartTime(pid);
  return startTime ? { pid, startTime } : undefined;
}

/** True only when the same process still runs: a reused pid is someone else. */
export function isAlive(identity: ProcessIdentity): boolean {
  return identify(identity.pid)?.startTime === identity.startTime;
}

/** The process group of a live process (Linux), for checking that a group is empty. */
export function processGroupOf(pid: number): number | undefined {
  return linux ? procStat(pid)?.pgid : undefined;
}

let bootTime: number | undefined;

/** When a live process started, in epoch ms (Linux: boot time + start ticks; ticks are 1/100 s there). */
export function startedAt(identity: ProcessIdentity): number | undefined {
  if (!linux || !/^\d+$/.test(identity.startTime)) return undefined;
  bootTime ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
  return bootTime + Number(identity.startTime) * 10;
}
