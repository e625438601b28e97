/**
 * Becoming the owner of a home: take its owner lock, run the engine (adopting what runs), and serve
 * the contract on the home's local socket so CLI clients reach it. The headless daemon and the
 * desktop app's main process both own a home this way.
 */
import type { Registry } from '@shared/model';
import { createReloadableEngine, type ReloadableEngine } from '../core/reloadable-engine';
import { stateDirs } from '../core/state/state-store';
import { ContractServer } from './contract-server';
import { daemonSocketPath } from './daemon-paths';
import { acquireOwnerLock } from './owner-lock';

export interface OwnerOptions {
  readonly home: string;
  readonly registry: Registry;
  readonly registryPath: string;
  readonly registryDir: string;
  /** Reads the registry file again (`platform update`); throws when it is not valid. */
  readonly readRegistry: () => Promise<Registry>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
}

export interface Owner {
  readonly engine: ReloadableEngine;
  readonly server: ContractServer;
  /** Asks it to stop owning (also what a client's `shutdown` does). */
  stop(): void;
  /** Settles once it has stopped: server closed, engine detached (services keep running), lock released. */
  readonly stopped: Promise<void>;
}

/** Undefined when another process already owns the home. */
export async function startOwner(options: OwnerOptions): Promise<Owner | undefined> {
  const lock = await acquireOwnerLock(options.home, stateDirs(options.home).root);
  if (!lock) return undefined;
  const engine = await createReloadableEngine({ ...options, onWarning: (warning) => options.log(`warning: ${warning}`) });
  let stop!: () => void;
  const asked = new Promise<void>((resolve) => (stop = resolve));
  const server = new ContractServer(engine, { hello: { pid: process.pid, home: options.home, registry: options.registryPath }, shutdown: () => stop(), readRegistry: options.readRegistry });
  await server.listen(daemonSocketPath(options.home));
  options.log(`pid ${process.pid} owns ${options.home} (registry ${options.registryPath})`);
  const stopped = asked.then(async () => {
    await server.close();
    await engine.close();
    await lock.release();
    options.log(`pid ${process.pid} stopped supervising; services keep running`);
  });
  return { engine, server, stop, stopped };
}
