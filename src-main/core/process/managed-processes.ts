/**
 * A home's processes, found three ways. First its cgroups (service-cgroup.ts), where the machine lets
 * us make them: every descendant of a service is in its instance's cgroup whatever it did. Else its
 * recorded process trees (process-tree.ts): every descendant seen, by pid and start time. Then the
 * markers every process we start carries in its environment, which children inherit: the last line of
 * defence (no cgroup here, or a process started before there was one), not a fence: a descendant that
 * sheds them (`env -i`, a rewritten environment block, as nginx, redis and postgres do when they set
 * their process titles) is not found that way. Only processes of our own uid count by markers (a
 * marker is easy to forge). Linux only; elsewhere the pid records serve.
 */
import { scanMarked, valueIn } from './environ-scan';
import { isAlive, placeOf } from './process-identity';
import { cgroupPids, findInstanceCgroup, homeCgroupMembers } from './service-cgroup';
import { homeTrees, liveTree, treeMembers } from './process-tree';

/** The provisioning home that started the process: one machine may run several homes (tests do). */
export const OWNER_VARIABLE = 'PROVISIONING_OWNER';
export const SERVICE_VARIABLE = 'PROVISIONING_SERVICE';
export const INSTANCE_VARIABLE = 'PROVISIONING_INSTANCE';

export interface ManagedProcess {
  readonly pid: number;
  readonly startTime: string;
  readonly pgid: number;
  readonly session: number;
  readonly service: string;
  readonly instance: string;
}

export function markers(home: string, service: string, instance: string): Record<string, string> {
  return { [OWNER_VARIABLE]: home, [SERVICE_VARIABLE]: service, [INSTANCE_VARIABLE]: instance };
}

/** Live processes started by this home: its cgroups read, its recorded trees, then a fresh scan of /proc for markers. */
export function managedProcesses(home: string): ManagedProcess[] {
  if (process.platform !== 'linux') return [];
  const inCgroups = homeCgroupMembers(home).flatMap(({ pid, service, instance }) => {
    const place = placeOf(pid);
    return place ? [{ ...place, service, instance }] : [];
  });
  const inTrees = homeTrees(home).flatMap(({ service, instance, members }) =>
    liveTree(members).map(({ ppid: _ppid, ...place }) => ({ ...place, service, instance })),
  );
  return unique([...inCgroups, ...inTrees, ...scan(home)]);
}

/** The first finding of each pid wins: a cgroup or a tree names its service surely, a marker may be stale. */
function unique(found: readonly ManagedProcess[]): ManagedProcess[] {
  const seen = new Set<number>();
  return found.filter((p) => !seen.has(p.pid) && seen.add(p.pid));
}

/** Concurrent stops each poll for leftovers; one scan of /proc serves all polls within this window. */
const SCAN_REUSE_MS = 10;
let lastScan: { home: string; at: number; found: ManagedProcess[] } | undefined;

/**
 * The live processes of one instance, for a stop's polls. With a cgroup, its cgroup.procs: one small
 * read, exact. Else its recorded tree (and the descendants of its members) and a marker scan shared with the polls of other stops made within SCAN_REUSE_MS,
 * each member re-read (pid and start time) so that one which exited since (or whose pid was handed
 * on) is never reported, nor signalled. A process started since is found by the next poll; anything
 * that must see every process (adoption) takes a fresh scan.
 */
export function instanceMembers(home: string, instance: string, cgroup = findInstanceCgroup(home, instance)): ManagedProcess[] {
  if (process.platform !== 'linux') return [];
  const pids = cgroup === undefined ? undefined : cgroupPids(cgroup);
  if (pids) {
    return pids.flatMap((pid) => {
      const place = placeOf(pid);
      return place ? [{ ...place, service: '', instance }] : [];
    });
  }
  const now = performance.now();
  if (lastScan?.home !== home || now - lastScan.at > SCAN_REUSE_MS) lastScan = { home, at: now, found: scan(home) };
  const inTree = treeMembers(home, instance).map((place) => ({ ...place, service: '', instance }));
  return unique([...inTree, ...lastScan.found.filter((p) => p.instance === instance && isAlive(p))]);
}

/** The process to name for an instance's processes: its group leader if it still runs, else any. */
export function instanceLeader(found: readonly ManagedProcess[], instance: string): ManagedProcess | undefined {
  const members = found.filter((p) => p.instance === instance);
  return members.find((p) => p.pid === p.pgid) ?? members[0];
}

function scan(home: string): ManagedProcess[] {
  return scanMarked(`${OWNER_VARIABLE}=${home}`).map(({ environ, ...place }) => ({
    ...place,
    service: valueIn(environ, SERVICE_VARIABLE),
    instance: valueIn(environ, INSTANCE_VARIABLE),
  }));
}
