/**
 * Command check: exit code 0 is healthy; its output is the message. It runs in its own process group,
 * killed whole once the command exits (background leftovers) or at the timeout, so a check never
 * leaves processes behind or hangs on a descendant that holds its output open.
 */
import { spawn } from 'node:child_process';
import type { HealthCheck } from '@shared/model';
import { expand, type ProbeContext, type ProbeOutcome } from './probe-context';

const MAX_OUTPUT = 4 * 1024;
/** After the command exits, how long its output may still arrive. */
const OUTPUT_GRACE_MS = 50;

/** Process groups of checks under way, so a CLI that is interrupted can end them. */
const running = new Set<number>();

export function killRunningChecks(): void {
  for (const group of running) killGroup(group);
}

function killGroup(group: number): void {
  running.delete(group);
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function commandProbe(check: NonNullable<HealthCheck['command']>, context: ProbeContext): Promise<ProbeOutcome> {
  const command = expand(check.command, context);
  return new Promise((finish) => {
    const child = spawn(command, check.args.map((arg) => expand(arg, context)), {
      cwd: context.registryDir,
      env: Object.fromEntries(Object.entries(context.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      shell: check.shell,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) running.add(child.pid);
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
      if (child.pid) killGroup(child.pid);
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
      const outcome = (last: string): ProbeOutcome =>
        code === 0 ? { ok: true, message: last || 'exit 0' } : { ok: false, message: `${signal ? `killed by ${signal}` : `exit ${code}`}${last ? `: ${last}` : ''}` };
      // Decided by the exit; output still in the pipes gets a moment (a background child may hold them open).
      child.once('close', () => settle(outcome));
      setTimeout(() => settle(outcome), OUTPUT_GRACE_MS).unref();
    });
  });
}
