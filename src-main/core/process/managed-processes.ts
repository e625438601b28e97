/**
 * Every process we start carries markers in its environment, and children inherit them. Scanning for
 * them finds a service's processes even when its state file is lost or a grandchild left the process
 * group (setsid): the last line of defence against orphans, but not a fence: a descendant that sheds
 * them (`env -i`, a rewritten environment block) is not found, unless it stays in a group we signal;
 * only a cgroup would hold every descendant. Only processes of our own uid count (a marker is easy to
 * forge). Linux only; elsewhere the pid records serve.
 */
import { scanMarked, valueIn } from './environ-scan';
import { isAlive } from './process-identity';

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

/** Live processes started by this home: a fresh scan of /proc. */
export function managedProcesses(home: string): ManagedProcess[] {
  return process.platform === 'linux' ? scan(home) : [];
}

/** Concurrent stops each poll for leftovers; one scan of /proc serves all polls within this window. */
const SCAN_REUSE_MS = 10;
let lastScan: { home: string; at: number; found: ManagedProcess[] } | undefined;

/**
 * The live processes of one instance, for a stop's polls: a scan shared with the polls of other stops
 * made within SCAN_REUSE_MS, each member re-read (pid and start time) so that one which exited since
 * (or whose pid was handed on) is never reported, nor signalled. A process started since is found by
 * the next poll; anything that must see every process (adoption) takes a fresh scan.
 */
export function instanceMembers(home: string, instance: string): ManagedProcess[] {
  if (process.platform !== 'linux') return [];
  const now = performance.now();
  if (lastScan?.home !== home || now - lastScan.at > SCAN_REUSE_MS) lastScan = { home, at: now, found: scan(home) };
  return lastScan.found.filter((p) => p.instance === instance && isAlive(p));
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
