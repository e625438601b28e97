/**
 * Command check: exit code 0 is healthy; its output is the message. It runs in its own process group
 * and carries its own marker in the environment; when the run ends (the command exited, or the
 * timeout) its group is killed while the group is provably ours, and so is every process of ours
 * still carrying the marker, with its group (setsid, a daemonizing fork). That ends background
 * leftovers and never hangs on a descendant holding the output open, but it is not containment: a
 * descendant that sheds the marker (`env -i …`) survives unless it shares a group with a marked
 * process, or with the command while that is unreaped (cgroups would hold it).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { HealthCheck } from '@shared/model';
import { baseEnvironment } from '../drivers/base-environment';
import { killMarked, sigkill } from '../process/kill-marked';
import { pidHolder, type ProcessIdentity } from '../process/process-identity';
import { expand, type ProbeContext, type ProbeOutcome } from './probe-context';

const MAX_OUTPUT = 4 * 1024;
/** After the command exits, how long its output may still arrive. */
const OUTPUT_GRACE_MS = 50;

/** One value per run: a process carrying it belongs to that run and nothing else. */
export const CHECK_VARIABLE = 'PROVISIONING_CHECK';

interface Run {
  /** The command we spawned: it leads the run's process group (pgid = its pid). */
  readonly leader: ProcessIdentity;
  readonly marker: string;
}

/** Checks under way, so a CLI that is interrupted can end them. */
const running = new Set<Run>();

export function killRunningChecks(): void {
  for (const run of running) end(run);
}

/** Ends a run's whole tree: its group, then whatever carries its marker (all created after its leader). */
function end(run: Run): void {
  running.delete(run);
  // The group's number is the leader's pid, ours only while the leader is unreaped: alive, or a zombie
  // that only this thread reaps (and it is running this). Once Node reported the exit it was reaped
  // and the number may name someone else's group: then only a marked member's group is killed.
  if (pidHolder(run.leader.pid)?.startTime === run.leader.startTime) sigkill(-run.leader.pid);
  killMarked(run.marker, run.leader.pid);
}

export function commandProbe(check: NonNullable<HealthCheck['command']>, context: ProbeContext): Promise<ProbeOutcome> {
  const command = expand(check.command, context);
  const id = randomUUID();
  return new Promise((finish) => {
    const child = spawn(
      command,
      check.args.map((arg) => expand(arg, context)),
      {
        cwd: context.registryDir,
        // The documented base only, as a service gets: no secret of the manager's environment.
        env: { ...baseEnvironment(context.env), [CHECK_VARIABLE]: id },
        shell: check.shell,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Read before this function returns, so before the loop can reap the child: it is ours, alive or a zombie.
    const leader = child.pid === undefined ? undefined : pidHolder(child.pid);
    const thisRun = leader && { leader, marker: `${CHECK_VARIABLE}=${id}` };
    if (thisRun) running.add(thisRun);
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let done = false;
    const settle = (outcome: (last: string) => ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (thisRun) end(thisRun);
      child.stdout.destroy();
      child.stderr.destroy();
      finish(outcome(output.trim().split('\n').at(-1) ?? ''));
    };
    const timer = setTimeout(
      () => settle((last) => ({ ok: false, message: `no result within ${context.timeoutMs}ms; killed${last ? ` (last output: ${last})` : ''}` })),
      context.timeoutMs,
    );
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(() => ({ ok: false, message: error.code === 'ENOENT' ? `command not found: ${command}` : error.message })),
    );
    child.once('exit', (code, signal) => {
      // Worded as the check's verdict, never as if the service's process had exited ("exit 0 after 222ms").
      const outcome = (last: string): ProbeOutcome =>
        code === 0
          ? { ok: true, message: last || 'the check command passed' }
          : { ok: false, message: `the check command ${signal ? `was killed by ${signal}` : `failed with code ${code}`}${last ? `: ${last}` : ''}` };
      // Decided by the exit; output still in the pipes gets a moment (a background child may hold them open).
      child.once('close', () => settle(outcome));
      setTimeout(() => settle(outcome), OUTPUT_GRACE_MS).unref();
    });
  });
}
