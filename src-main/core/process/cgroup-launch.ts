/**
 * Puts a process in its cgroup before it can fork: the spawned `/bin/sh` writes its own pid to the
 * cgroup's cgroup.procs, then execs the command (same pid, so the process we recorded is the
 * service). Node cannot exec in a child itself, and a shell is on every Linux. The script is constant;
 * the cgroup path, the command and its arguments are passed as positional arguments, never
 * interpolated into shell text.
 */

const PLACE_AND_EXEC = 'echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@"';

/** The argv that runs `command args…` inside `cgroup`: spawn argv[0] with the rest. */
export function launchInCgroup(cgroup: string, command: string, args: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', PLACE_AND_EXEC, 'provisioning-launch', cgroup, command, ...args]];
}
