/**
 * Stops a service's processes: its stop signal (SIGTERM unless the registry says otherwise) to its process group and to every member that leads a group
 * of its own (a daemon that called setsid), a grace period, then SIGKILL: `cgroup.kill` where the
 * instance has a cgroup (the whole tree at once, whatever it did), and to the same groups and members.
 * Members are the instance's cgroup, else its recorded process tree and every process of ours still
 * carrying the instance marker (see managed-processes). A pid or group is signalled only when a read just before showed it belongs
 * to the instance (pid and start time, or a member): never a pid recorded long ago that may have been
 * reused. Once nothing is left, the empty cgroup (or the tree's record) is removed.
 */
import { isAlive, type ProcessIdentity } from './process-identity';
import { instanceMembers } from './managed-processes';
import { findInstanceCgroup, killCgroup, removeInstanceCgroup } from './service-cgroup';
import { forgetTree } from './process-tree';

export interface TerminateTarget {
  readonly home: string;
  readonly instance: string;
  /** The process we spawned; it leads its own process group (pgid = pid). */
  readonly leader: ProcessIdentity;
}

export interface TerminateResult {
  /** SIGKILL was needed. */
  readonly forced: boolean;
  /** Pids still alive at the end: always empty unless the kernel refused a signal. */
  readonly survivors: readonly number[];
}

const POLL_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function terminate(target: TerminateTarget, stopTimeoutMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<TerminateResult> {
  const cgroup = findInstanceCgroup(target.home, target.instance);
  signalAll(target, signal, cgroup);
  let forced = false;
  if (!(await gone(target, stopTimeoutMs, cgroup))) {
    forced = true;
    if (cgroup) killCgroup(cgroup);
    signalAll(target, 'SIGKILL', cgroup);
    await gone(target, 2_000, cgroup);
  }
  const survivors = remaining(target, cgroup).map((p) => p.pid);
  if (cgroup && survivors.length === 0) removeInstanceCgroup(cgroup);
  if (survivors.length === 0) forgetTree(target.home, target.instance);
  return { forced, survivors };
}

function remaining(target: TerminateTarget, cgroup: string | undefined) {
  const members = instanceMembers(target.home, target.instance, cgroup);
  if (isAlive(target.leader) && !members.some((p) => p.pid === target.leader.pid)) {
    members.push({ ...target.leader, pgid: target.leader.pid, session: target.leader.pid, service: '', instance: target.instance });
  }
  return members;
}

function signalAll(target: TerminateTarget, signal: NodeJS.Signals, cgroup: string | undefined): void {
  const members = remaining(target, cgroup);
  // The group id is the leader's pid; it is still ours while the leader lives or a marked member is in it.
  const groupIsOurs = members.some((p) => p.pgid === target.leader.pid);
  if (groupIsOurs) send(-target.leader.pid, signal);
  // A marked member that left the group and leads its own (setsid, a daemon) takes its group with it.
  for (const member of members) if (member.pgid !== target.leader.pid) send(member.pid === member.pgid ? -member.pid : member.pid, signal);
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function gone(target: TerminateTarget, timeoutMs: number, cgroup: string | undefined): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (remaining(target, cgroup).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}
