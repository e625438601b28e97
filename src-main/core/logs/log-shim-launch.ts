/**
 * Starts the log shim (log-shim.ts) for a service about to be spawned. It is started detached and
 * unreferenced, so it outlives the manager as the service does.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { packageRoot } from '../paths';
import type { LogFiles } from './log-files';

/** Where the build puts it (scripts/build-cli.mjs), or undefined when the package is not built. */
export function logShimScript(): string | undefined {
  const script = join(packageRoot(), 'out', 'cli', 'log-shim.js');
  return existsSync(script) ? script : undefined;
}

/** The variable that names a shim's service for people reading `ps`; not a marker: managers never look for it. */
export const LOG_SHIM_VARIABLE = 'PROVISIONING_LOG_SHIM';

export interface LogShim {
  /** This process's ends of the shim's two pipes: give them to the service as its stdout and stderr, then destroy them. */
  readonly pipes: readonly [Socket, Socket];
  /** Resolves once the shim wrote everything and ended (its pipes closed). */
  readonly drained: Promise<void>;
}

/**
 * Starts a shim, before its service: a manager killed before the service is spawned leaves a shim
 * that sees its pipes close and ends, never a service whose output has no reader (SIGPIPE).
 */
export function startLogShim(script: string, files: LogFiles, label: string): LogShim {
  const shim = spawn(process.execPath, [script, files.rawStdout, files.rawStderr], {
    detached: true,
    // Its own folder: a long-lived process must not pin the manager's working directory.
    cwd: dirname(files.rawStdout),
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    // Under Electron, execPath is the app: run it as plain node.
    env: { [LOG_SHIM_VARIABLE]: label, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  });
  shim.unref();
  const drained = new Promise<void>((resolve) => {
    shim.once('exit', () => resolve());
    shim.once('error', () => resolve());
  });
  return { pipes: [shim.stdio[3] as Socket, shim.stdio[4] as Socket], drained };
}
