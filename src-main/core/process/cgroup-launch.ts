/**
 * Puts a process in its cgroup before it can run a single instruction of the service: the spawned
 * `/bin/sh` waits on fd 3 while the manager writes its pid to the cgroup's cgroup.procs, and only
 * then execs the command (same pid, so the process we recorded is the service). The manager, not the
 * launcher, moves it, because a launcher spawned as another user (`deployment.binary.user`) may not:
 * moving a process needs write access to cgroup.procs of the common ancestor of both cgroups, which
 * root owns (kernels since 5.16 would accept a root-opened descriptor, older ones check the writer).
 * If the manager dies before it opens the gate, the launcher reads an end of file and exits 125,
 * outside any cgroup but having run nothing. Node cannot exec in a child itself, and a shell is on
 * every Linux. The script is constant; the command and its arguments are positional arguments, never
 * interpolated into shell text.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';

const WAIT_THEN_EXEC = 'read -r gate <&3 && [ "$gate" = go ] || exit 125; exec 3<&-; exec "$@"';

/** The argv that runs `command args…` once enterCgroups let it: spawn argv[0] with the rest, with a pipe as fd 3 (GATE_STDIO). */
export function launchInCgroup(command: string, args: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', WAIT_THEN_EXEC, 'provisioning-launch', command, ...args]];
}

/** The stdio entry for fd 3 of a launcher. */
export const GATE_STDIO = 'pipe';

/**
 * Moves a spawned launcher into each cgroup (the v2 one, and any v1 controller's), then lets it
 * exec. Throws when a move is refused; the launcher then exits 125 without running the command.
 */
export function enterCgroups(launcher: ChildProcess, cgroups: readonly string[]): void {
  const gate = launcher.stdio[3] as Socket;
  // The gate must not hold a manager's event loop open while its service runs.
  gate.unref();
  try {
    for (const cgroup of cgroups) writeFileSync(join(cgroup, 'cgroup.procs'), String(launcher.pid));
    gate.end('go\n');
  } catch (error) {
    gate.destroy();
    throw error;
  }
}
