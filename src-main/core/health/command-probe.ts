/**
 * Command check: exit code 0 is healthy; its output is the message. It runs in its own process group,
 * so a command that hangs is killed whole at the timeout, children included.
 */
import { spawn } from 'node:child_process';
import type { HealthCheck } from '@shared/model';
import { expand, type ProbeContext, type ProbeOutcome } from './probe-context';

const MAX_OUTPUT = 4 * 1024;

export function commandProbe(check: NonNullable<HealthCheck['command']>, context: ProbeContext): Promise<ProbeOutcome> {
  const command = expand(check.command, context);
  return new Promise((settle) => {
    const child = spawn(command, check.args.map((arg) => expand(arg, context)), {
      cwd: context.registryDir,
      env: Object.fromEntries(Object.entries(context.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      shell: check.shell,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, context.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      settle({ ok: false, message: error.code === 'ENOENT' ? `command not found: ${command}` : error.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const last = output.trim().split('\n').at(-1) ?? '';
      if (timedOut) return settle({ ok: false, message: `no result within ${context.timeoutMs}ms; killed${last ? ` (last output: ${last})` : ''}` });
      if (code === 0) return settle({ ok: true, message: last || 'exit 0' });
      settle({ ok: false, message: `${signal ? `killed by ${signal}` : `exit ${code}`}${last ? `: ${last}` : ''}` });
    });
  });
}

