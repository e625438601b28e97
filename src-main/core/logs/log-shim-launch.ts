/**
 * Starts the log shim (log-shim.ts) for a service about to be spawned, and gives the service real
 * pipes to it: FIFOs, since node's own 'pipe' stdio is a socket pair, and a program that opens
 * `/dev/stdout` (nginx's `error_log /dev/stderr`, `echo x > /dev/stdout`) gets ENXIO on a socket.
 * The FIFOs are made 0600 in the 0700 logs folder, one pair per instance, and unlinked as soon as
 * both ends are open: the pipe lives on nameless, and `/proc/self/fd/1` still reopens it. The shim
 * is started detached and unreferenced, so it outlives the manager as the service does. Linux.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, existsSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths';
import type { LogFiles } from './log-files';

/** Where the build puts it (scripts/build-cli.mjs), or undefined when the package is not built. */
export function logShimScript(): string | undefined {
  const script = join(packageRoot(), 'out', 'cli', 'log-shim.js');
  return existsSync(script) ? script : undefined;
}

/** The variable that names a shim's service for people reading `ps`; not a marker: managers never look for it. */
export const LOG_SHIM_VARIABLE = 'PROVISIONING_LOG_SHIM';

/** A shim that never says `ready` (a machine frozen for this long) fails the start instead of holding it forever. */
const READY_WITHIN_MS = 30_000;

export interface LogShim {
  /** Write ends (blocking) of the shim's two pipes: give them to the service as its stdout and stderr, then call release. */
  readonly fds: readonly [number, number];
  /** Closes our write ends and lets the shim read: call once the service is spawned, or could not be. */
  release(): void;
  /** Resolves once the shim wrote everything and ended (its pipes closed). */
  readonly drained: Promise<void>;
}

/**
 * Starts a shim, before its service, and returns once it holds the read ends of both pipes and we
 * the write ends. A manager killed before the service is spawned leaves a shim that sees its stdin
 * and then its pipes close and ends, never a service whose output has no reader (SIGPIPE).
 * Throws an Error saying why the shim could not be started.
 */
export async function startLogShim(script: string, files: LogFiles, instance: string, label: string): Promise<LogShim> {
  const dir = dirname(files.rawStdout);
  const fifos = [join(dir, `${instance}.stdout.fifo`), join(dir, `${instance}.stderr.fifo`)] as const;
  const removeFifos = () => fifos.forEach((fifo) => rmSync(fifo, { force: true }));
  try {
    execFileSync('mkfifo', ['-m', '0600', ...fifos], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    removeFifos();
    throw new Error(`cannot make its pipes in ${dir}: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`, {
      cause: error,
    });
  }
  const shim = spawn(process.execPath, [script, files.rawStdout, files.rawStderr, ...fifos], {
    detached: true,
    // Its own folder: a long-lived process must not pin the manager's working directory.
    cwd: dir,
    stdio: ['pipe', 'pipe', 'ignore'],
    // Under Electron, execPath is the app: run it as plain node.
    env: { [LOG_SHIM_VARIABLE]: label, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  });
  shim.unref();
  const drained = new Promise<void>((resolve) => {
    shim.once('exit', () => resolve());
    shim.once('error', () => resolve());
  });
  const fds: number[] = [];
  const release = () => {
    fds.splice(0).forEach((fd) => closeSync(fd));
    shim.stdin?.destroy();
    shim.stdout?.destroy();
  };
  try {
    const answer = await shimAnswer(shim);
    if (answer !== 'ready') throw new Error(answer.replace(/^error /, ''));
    // An O_RDWR open of a FIFO never blocks and counts as a reader, so the blocking write-end open
    // that follows returns at once even if the shim vanished meanwhile (its output would then be refused, not hang us).
    for (const fifo of fifos) {
      const guard = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      try {
        fds.push(openSync(fifo, constants.O_WRONLY));
      } finally {
        closeSync(guard);
      }
    }
  } catch (error) {
    release();
    removeFifos();
    throw error;
  }
  removeFifos();
  return { fds: [fds[0]!, fds[1]!], release, drained };
}

/** The first line a shim says once started (`ready…` or `error <why>`); rejects when it cannot start, or ends or stays silent first. */
export async function shimAnswer(shim: ChildProcess): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), READY_WITHIN_MS);
  try {
    await Promise.race([
      once(shim, 'spawn', { signal: abort.signal }),
      once(shim, 'error', { signal: abort.signal }).then(([error]) => Promise.reject(error as Error)),
    ]);
    let said = '';
    const ended = once(shim, 'exit', { signal: abort.signal }).then(([code, signal]) => `it ended (${signal ?? `code ${code}`}) before it was ready`);
    const line = new Promise<string>((resolve) => {
      shim.stdout!.on('data', (chunk: Buffer) => {
        said = (said + chunk.toString()).slice(0, 4096);
        if (said.includes('\n')) resolve(said.slice(0, said.indexOf('\n')));
      });
    });
    return await Promise.race([line, ended]);
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`it did not say it was ready within ${READY_WITHIN_MS / 1000} s`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
