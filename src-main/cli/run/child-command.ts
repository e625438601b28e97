/**
 * The command `provisioning run` runs: executed directly (argv, no shell), stdio inherited, in this
 * process's group (so a terminal's Ctrl-C reaches it as it would without us, and it may read the
 * terminal). Its exit code is reported as a shell does: its own code, or 128 + the signal that ended
 * it; 127 when it cannot be found, 126 when it cannot be executed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

export interface ChildCommand {
  /** Sends a signal to it, if it still runs. */
  signal(signal: NodeJS.Signals): void;
  /** Its exit code, once it has ended (or failed to begin, with the reason). */
  readonly exited: Promise<{ code: number; problem?: string }>;
}

export function runChild(command: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string }): ChildCommand {
  const [file, ...args] = command as [string, ...string[]];
  let child: ChildProcess;
  const exited = new Promise<{ code: number; problem?: string }>((resolve) => {
    child = spawn(file, args, { stdio: 'inherit', env: options.env, cwd: options.cwd });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // An error after it began (a failed kill) changes nothing of how it ends.
      if (child.pid !== undefined) return;
      const code = error.code === 'ENOENT' ? 127 : 126;
      resolve({ code, problem: `cannot run ${file}: ${error.code === 'ENOENT' ? 'not found' : error.message}` });
    });
    child.once('exit', (code, signal) => resolve({ code: code ?? signalExitCode(signal ?? 'SIGKILL') }));
  });
  return {
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill(signal);
    },
    exited,
  };
}

/** 128 + its number, as shells report a process a signal ended (SIGINT: 130, SIGTERM: 143). */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);
