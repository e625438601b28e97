/**
 * Ends the processes of ours that carry one environment entry, each with its process group, including
 * those that left the first group and session (setsid, a daemonizing fork). Used for short-lived
 * process trees (a health check run) whose every member was created after a known pid, so only the
 * pids handed out since are read: cheap enough to run after every check; and, reading every pid, for
 * the hooks an owner that died left running (hook-orphans.ts). Best effort, not containment
 * (that takes a cgroup): a process that shed the entry (`env -i`, a rewritten environment) is missed
 * unless it shares a group with a marked one, and so is whatever a fork chain creates after the last pass.
 */
import { lastPid, scanMarked } from './environ-scan';

/** Each pass kills what it finds; one more pass catches what they forked meanwhile. Bounded. */
const MAX_PASSES = 5;

/**
 * SIGKILLs the live processes of our uid carrying `entry`, and their groups: those with a pid handed
 * out since `firstPid`, or without it every one (a full scan, for what outlived its owner). The pids killed.
 */
export function killMarked(entry: string, firstPid?: number): number[] {
  const killed = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const last = firstPid === undefined ? undefined : lastPid();
    const window = firstPid !== undefined && last !== undefined ? { first: firstPid, last } : undefined;
    const fresh = scanMarked(entry, window).filter((p) => !killed.has(p.pid));
    if (fresh.length === 0) break;
    for (const { pid, pgid } of fresh) {
      killed.add(pid);
      // A live member holds its group's number, so that group is the one it is in (all descendants of
      // the run: a group lies within a session): the group goes whole, members that shed the entry too.
      if (pgid > 1) sigkill(-pgid); // never 0: -0 would be our own group
      sigkill(pid);
    }
  }
  return [...killed];
}

/** SIGKILL to a pid (or, negative, a group) that may be gone meanwhile. */
export function sigkill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
