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
  readonly ppid: number;
  readonly pgid: number;
  readonly session: number;
  readonly startTime: string;
}

/** One file of /proc/<pid>/ as text, or undefined when the process is gone or not ours to read. */
export function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function procStat(pid: number): ProcStat | undefined {
  const text = readProc(pid, 'stat');
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); the parent is field 4, pgid field 5, session field 6, starttime field 22.
  return { state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), session: Number(fields[3]), startTime: fields[19]! };
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
  if (!linux) return pidHolder(pid); // ps cannot tell a zombie apart cheaply; Linux is where that matters
  const place = placeOf(pid);
  return place && { pid, startTime: place.startTime };
}

/**
 * The process a pid names, a zombie included: until its parent reaps it, a zombie keeps its pid and
 * the process group it leads, so neither can be handed to anyone else.
 */
export function pidHolder(pid: number): ProcessIdentity | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const startTime = linux ? procStat(pid)?.startTime : psStartTime(pid);
  return startTime ? { pid, startTime } : undefined;
}

/** True only when the same process still runs: a reused pid is someone else. */
export function isAlive(identity: ProcessIdentity): boolean {
  return identify(identity.pid)?.startTime === identity.startTime;
}

export interface ProcessPlace extends ProcessIdentity {
  readonly pgid: number;
  /** Our spawn makes each service's leader lead its own session; a descendant that calls setsid leads another. */
  readonly session: number;
}

/** Identity, process group and session of a live process, in one read (Linux; undefined elsewhere or when gone). */
export function placeOf(pid: number): ProcessPlace | undefined {
  const stat = linux && Number.isInteger(pid) && pid > 0 ? procStat(pid) : undefined;
  return stat && stat.state !== 'Z' ? { pid, startTime: stat.startTime, pgid: stat.pgid, session: stat.session } : undefined;
}

/** A live process with its parent link (Linux, one read of /proc/<pid>/stat), for process-tree tracking. */
export interface ProcessNode extends ProcessPlace {
  readonly ppid: number;
}

export function nodeOf(pid: number): ProcessNode | undefined {
  const stat = linux && Number.isInteger(pid) && pid > 0 ? procStat(pid) : undefined;
  return stat && stat.state !== 'Z' ? { pid, ppid: stat.ppid, startTime: stat.startTime, pgid: stat.pgid, session: stat.session } : undefined;
}

/**
 * The real uid of a live process (Linux, from /proc/<pid>/status): who started it, whatever it may
 * since have gained through a setuid binary. Undefined when it is gone or unreadable.
 */
export function realUidOf(pid: number): number | undefined {
  const uid = /^Uid:\s+(\d+)\s/m.exec(readProc(pid, 'status') ?? '')?.[1];
  return uid === undefined ? undefined : Number(uid);
}

let pidMax: number | undefined;

/**
 * Orders processes by birth (Linux): start time, then, within one clock tick (10 ms), the pid handed
 * out first. Pids are allocated cyclically, so a gap over half the pid space means one wrapped around.
 */
export function compareBirth(a: ProcessIdentity, b: ProcessIdentity): number {
  const ticks = Number(a.startTime) - Number(b.startTime);
  if (ticks !== 0) return ticks;
  pidMax ??= readPidMax();
  const gap = a.pid - b.pid;
  return Math.abs(gap) > pidMax / 2 ? -gap : gap;
}

/** The kernel's pid limit; where it cannot be read (no /proc/sys, a restricted sandbox), Linux's largest. */
function readPidMax(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1')) || 4_194_304;
  } catch {
    return 4_194_304;
  }
}

let bootTime: number | undefined;

/** When a live process started, in epoch ms (Linux: boot time + start ticks; ticks are 1/100 s there). */
export function startedAt(identity: ProcessIdentity): number | undefined {
  if (!linux || !/^\d+$/.test(identity.startTime)) return undefined;
  bootTime ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
  return bootTime + Number(identity.startTime) * 10;
}

let boot: string | null | undefined;

/**
 * This boot of the machine, as the kernel names it (Linux boot_id, macOS kern.bootsessionuuid): a
 * record made under another one was made before the machine restarted. Undefined where neither is
 * available; then no restart of the machine is recognised.
 */
export function currentBoot(): string | undefined {
  if (boot === undefined) boot = readBoot() ?? null;
  return boot ?? undefined;
}

function readBoot(): string | undefined {
  try {
    if (linux) return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || undefined;
    if (process.platform === 'darwin')
      return execFileSync('sysctl', ['-n', 'kern.bootsessionuuid'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    // A sandbox without /proc/sys, or no sysctl: the boot is not known.
  }
  return undefined;
}
