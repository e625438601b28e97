/**
 * The headless owner: takes the home's owner lock, runs the engine (adopting what runs), serves the
 * contract on the local socket, and exits once no managed service runs or waits for a restart and no
 * client is connected —
 * or on `daemon stop`. Services keep running when it exits; the next owner adopts them.
 */
import type { Registry } from '@shared/model';
import { createReloadableEngine } from '../core/reloadable-engine';
import { stateDirs } from '../core/state/state-store';
import { ContractServer } from './contract-server';
import { daemonSocketPath } from './daemon-paths';
import { acquireOwnerLock } from './owner-lock';

export interface DaemonOptions {
  readonly home: string;
  readonly registry: Registry;
  readonly registryPath: string;
  readonly registryDir: string;
  /** Reads the registry file again (`platform update`); throws when it is not valid. */
  readonly readRegistry: () => Promise<Registry>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  /** Idle time (nothing running, nobody connected) before the daemon exits. */
  readonly idleMs?: number;
}

/** Resolves when the daemon has stopped; false when another process already owns the home. */
export async function runDaemon(options: DaemonOptions): Promise<boolean> {
  const lock = await acquireOwnerLock(options.home, stateDirs(options.home).root);
  if (!lock) {
    options.log(`another manager already owns ${options.home}; exiting`);
    return false;
  }
  const engine = await createReloadableEngine({ ...options, onWarning: (warning) => options.log(`warning: ${warning}`) });
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const server = new ContractServer(engine, { hello: { pid: process.pid, home: options.home, registry: options.registryPath }, shutdown: () => stop(), readRegistry: options.readRegistry });
  await server.listen(daemonSocketPath(options.home));
  options.log(`pid ${process.pid} owns ${options.home} (registry ${options.registryPath})`);

  let idleSince = Date.now();
  const idle = setInterval(() => {
    if (engine.anyActive() || server.clients > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= (options.idleMs ?? 5_000)) stop();
  }, 250);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop());

  await stopped;
  clearInterval(idle);
  await server.close();
  await engine.close();
  await lock.release();
  options.log(`pid ${process.pid} stopped supervising; services keep running`);
  return true;
}
