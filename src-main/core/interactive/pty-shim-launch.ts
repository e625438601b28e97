/**
 * Starts the pty shim (pty-shim.ts) of an interactive service about to be spawned and opens the
 * slave side of its terminal for the service: the manager never holds the master, so the terminal
 * lives as long as the service does, whichever manager runs. The shim is started detached and
 * unreferenced, without the service's markers, in its own folder, as the log shim is. Linux.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, constants, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { shimAnswer } from '../logs/log-shim-launch';
import { packageRoot } from '../paths';
import type { RunAs } from '../process/run-as';
import { privatePtyFolder, ptySocketPath } from './pty-socket-path';

/** Where the build puts it (scripts/build-cli.mjs), or undefined when the package is not built. */
export function ptyShimScript(): string | undefined {
  const script = join(packageRoot(), 'out', 'cli', 'pty-shim.js');
  return existsSync(script) ? script : undefined;
}

/** Names a shim's service for people reading `ps`; not a marker: managers never look for it. */
export const PTY_SHIM_VARIABLE = 'PROVISIONING_PTY_SHIM';

/** The size a terminal starts with, until an attacher says its own. */
const INITIAL_SIZE = { cols: 120, rows: 32 } as const;

export interface PtyShim {
  /** The slave side, opened blocking and without making it our controlling terminal: the service's stdin, stdout and stderr. */
  readonly fd: number;
  /** Closes our slave descriptor and lets the shim close its own: call once the service is spawned, or could not be. */
  release(): void;
  /** Resolves once the shim wrote everything and ended (no process holds the terminal any more). */
  readonly drained: Promise<void>;
}

/** Throws an Error saying why the shim could not be started. */
export async function startPtyShim(script: string, home: string, rawStdout: string, instance: string, label: string, runAs?: RunAs): Promise<PtyShim> {
  const dir = privatePtyFolder(home);
  const shim = spawn(process.execPath, [script, rawStdout, ptySocketPath(home, instance), String(INITIAL_SIZE.cols), String(INITIAL_SIZE.rows)], {
    detached: true,
    cwd: dir,
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { [PTY_SHIM_VARIABLE]: label, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  });
  shim.unref();
  const drained = new Promise<void>((resolve) => {
    shim.once('exit', () => resolve());
    shim.once('error', () => resolve());
  });
  let fd: number | undefined;
  const release = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    shim.stdin?.destroy();
    shim.stdout?.destroy();
  };
  try {
    const slave = await ready(shim);
    fd = openSync(slave, constants.O_RDWR | constants.O_NOCTTY);
    // The service makes it its controlling terminal by opening it again (ttyLaunch): as its own user, it must own it, as login makes a user own theirs.
    if (runAs) chownSync(slave, runAs.uid, runAs.gid);
    return { fd, release, drained };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Wraps the argv of a service so that its terminal becomes its controlling terminal (Ctrl-C, Ctrl-Z
 * and window size changes reach it as signals) and then execs it, same pid: a session leader
 * (spawned detached) without one acquires the terminal it opens. Constant script, positional argv.
 */
export function ttyLaunch(file: string, args: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'exec 0<>/proc/self/fd/0 && exec "$@"', 'provisioning-tty', file, ...args]];
}

/** The slave path, once the shim says it listens; rejects with its reason when it fails or ends first. */
async function ready(shim: ChildProcess): Promise<string> {
  const answer = await shimAnswer(shim);
  const slave = /^ready (\/dev\/pts\/\d+)$/.exec(answer)?.[1];
  if (!slave) throw new Error(answer.replace(/^error /, ''));
  return slave;
}
