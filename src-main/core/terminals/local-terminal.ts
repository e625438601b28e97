/**
 * A terminal on this machine, for binary services: the given program (else the user's shell) in a
 * working directory and environment — in a PTY (node-pty) when a terminal is asked for, so line
 * editing, Ctrl-C, job control and `stty size` behave as in any terminal; over plain pipes
 * otherwise (a script's `services exec`), which needs no native module. Either way it is its own
 * session / process group, so a hang-up reaches what it started too.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { HANGUP_GRACE_MS, writeBounded, type TerminalEnd, type TerminalProcess, type TerminalRequest } from './terminal-process';
import { loadNodePty } from './node-pty-loader';
import { holdUntilDrained } from './pty-drain';

export interface LocalTarget {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The account the service runs as, when not the owner's: its terminal runs as it too. */
  readonly uid?: number;
  readonly gid?: number;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** The program to run: `cmd`, else the user's shell (its `$SHELL`, else /bin/sh). */
export function shellCommand(request: Pick<TerminalRequest, 'cmd'>, env: Readonly<Record<string, string | undefined>>): [string, string[]] {
  if (request.cmd && request.cmd.length > 0) return [request.cmd[0]!, request.cmd.slice(1)];
  return [env['SHELL'] || '/bin/sh', []];
}

export async function openLocalTerminal(target: LocalTarget, request: TerminalRequest): Promise<TerminalProcess> {
  const [file, args] = shellCommand(request, target.env);
  return request.tty ? ptyTerminal(file, args, target, request) : pipeTerminal(file, args, target, request);
}

async function ptyTerminal(file: string, args: string[], target: LocalTarget, request: TerminalRequest): Promise<TerminalProcess> {
  const pty = await loadNodePty();
  const child = pty.spawn(file, args, {
    name: 'xterm-256color',
    cols: request.cols,
    rows: request.rows,
    cwd: target.cwd,
    env: { ...target.env, TERM: 'xterm-256color' },
    // Bytes, not text: a UTF-8 sequence split between reads is the receiving terminal's to join.
    encoding: null,
    ...(target.uid !== undefined ? { uid: target.uid } : {}),
    ...(target.gid !== undefined ? { gid: target.gid } : {}),
  });
  const drained = holdUntilDrained((child as unknown as { _pty: string })._pty, child.pid);
  child.onData((data) => {
    request.output(Buffer.from(data as unknown as Uint8Array), 'stdout');
    drained();
  });
  const ended = new Promise<TerminalEnd>((resolve) =>
    child.onExit(({ exitCode, signal }) =>
      resolve(signal ? { code: null, signal: SIGNAL_NAMES.get(signal) ?? `signal ${signal}` } : { code: exitCode, signal: null }),
    ),
  );
  return {
    ended,
    write: (data) => writeBounded(ptyQueued(child), () => child.write(data as unknown as string)),
    // A terminal's end of input is Ctrl-D, which the program reads as it likes.
    endInput: () => child.write('\x04'),
    resize: (cols, rows) => child.resize(cols, rows),
    pause: () => child.pause(),
    resume: () => child.resume(),
    close: () => hangUp(child.pid, ended, () => child.kill('SIGHUP')),
  };
}

function pipeTerminal(file: string, args: string[], target: LocalTarget, request: TerminalRequest): TerminalProcess {
  const child = spawn(file, args, {
    cwd: target.cwd,
    env: target.env,
    stdio: 'pipe',
    detached: true,
    ...(target.uid !== undefined ? { uid: target.uid } : {}),
    ...(target.gid !== undefined ? { gid: target.gid } : {}),
  });
  child.stdout.on('data', (data: Buffer) => request.output(data, 'stdout'));
  child.stderr.on('data', (data: Buffer) => request.output(data, 'stderr'));
  // A program that does not read its input (or has ended) must not crash the owner with EPIPE.
  child.stdin.on('error', () => undefined);
  const ended = new Promise<TerminalEnd>((resolve) => {
    child.once('error', (error) => resolve({ code: 127, signal: null, reason: `could not run ${file}: ${error.message}` }));
    // `close`, not `exit`: everything it wrote has been read.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    ended,
    write: (data) => writeBounded(child.stdin.writableLength, () => child.stdin.write(data)),
    endInput: () => child.stdin.end(),
    // Pipes have no size.
    resize: () => undefined,
    pause: () => {
      child.stdout.pause();
      child.stderr.pause();
    },
    resume: () => {
      child.stdout.resume();
      child.stderr.resume();
    },
    close: () => hangUp(child.pid, ended, () => killGroup(child.pid, 'SIGHUP')),
  };
}

/** Bytes node-pty holds for the program (its write queue, private: 0 where a version has none). */
function ptyQueued(child: object): number {
  const queue = (child as { _writeStream?: { _writeQueue?: { buffer: Buffer; offset: number }[] } })._writeStream?._writeQueue;
  return Array.isArray(queue) ? queue.reduce((sum, task) => sum + task.buffer.length - task.offset, 0) : 0;
}

/** SIGHUP now; the whole group SIGKILLed if it has not ended after the grace. */
function hangUp(pid: number | undefined, ended: Promise<unknown>, hangup: () => void): void {
  try {
    hangup();
  } catch {
    // Already gone.
  }
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), HANGUP_GRACE_MS);
  timer.unref();
  void ended.then(() => clearTimeout(timer));
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
