/**
 * Ends the processes of ours that carry one environment entry, each with its process group, including
 * those that left the first group and session (setsid, a daemonizing fork). Used for short-lived
 * process trees (a health check run) whose every member was created after a known pid, so only the
 * pids handed out since are read: cheap enough to run after every check. Best effort, not containment
 * (that takes a cgroup): a process that shed the entry (`env -i`, a rewritten environment) is missed
 * unless it shares a group with a marked one, and so is whatever a fork chain creates after the last pass.
 */
import { lastPid, scanMarked } from './environ-scan';

/** Each pass kills what it finds; one more pass catches what they forked meanwhile. Bounded. */
const MAX_PASSES = 5;

/** SIGKILLs the live processes of our uid carrying `entry` with a pid handed out since `firstPid`, and their groups. */
export function killMarked(entry: string, firstPid: number): void {
  const killed = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const last = lastPid();
    const fresh = scanMarked(entry, last === undefined ? undefined : { first: firstPid, last }).filter((p) => !killed.has(p.pid));
    if (fresh.length === 0) break;
    for (const { pid, pgid } of fresh) {
      killed.add(pid);
      // A live member holds its group's number, so that group is the one it is in (all descendants of
      // the run: a group lies within a session): the group goes whole, members that shed the entry too.
      if (pgid > 1) sigkill(-pgid); // never 0: -0 would be our own group
      sigkill(pid);
    }
  }
}

/** SIGKILL to a pid (or, negative, a group) that may be gone meanwhile. */
export function sigkill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
