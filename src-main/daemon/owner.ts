/**
 * Becoming the owner of a home: take its owner lock, run the engine (adopting what runs), and serve
 * the contract on the home's local socket so CLI clients reach it. The headless daemon and the
 * desktop app's main process both own a home this way.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Registry } from '@shared/model';
import { createEngine, type Engine } from '../core/engine';
import { writeFileAtomic } from '../core/state/atomic-write';
import { trackingOf } from '../core/process/tracking-of';
import type { RegistryFile } from '../core/registry/registry-file';
import { SettingsStore } from '../core/settings-store';
import { ContractServer } from './contract-server';
import type { OwnerFacts } from './contract-session';
import { daemonSocketPath, ownerPidPath } from './daemon-paths';
import { claimHome, type HomeClaim } from './home-claim';
import { RunHolds } from './run-holds';
import { announceOwner } from './running-homes';

export interface OwnerOptions {
  readonly home: string;
  /** The registry as read from `registryFile`. */
  readonly registry: Registry;
  /** The registry file: read again by `platform update`, watched and edited by the graph view. */
  readonly registryFile: RegistryFile;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where env references are read when a start brings none: the desktop app's own (see EngineOptions.clientEnv). */
  readonly clientEnv?: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
}

export interface Owner {
  readonly engine: Engine;
  /** What the contract's handlers need of the owner (a face serving the contract itself uses these). */
  readonly facts: OwnerFacts;
  readonly server: ContractServer;
  /** Asks it to stop owning (also what a client's `shutdown` does). */
  stop(): void;
  /** Settles once it has stopped: server closed, engine detached (services keep running), lock released. */
  readonly stopped: Promise<void>;
}

/** Undefined when another process already owns the home. */
export async function startOwner(options: OwnerOptions): Promise<Owner | undefined> {
  const claim = await claimHome(options.home);
  return claim && (await ownClaimed(claim, () => Promise.resolve(options)));
}

/**
 * Owns the home `claim` holds with what `load` reads (the registry, once the lock is ours); lets the
 * lock go when that or starting fails.
 */
export async function ownClaimed(claim: HomeClaim, load: () => Promise<OwnerOptions>): Promise<Owner> {
  try {
    return await own({ ...(await load()), home: claim.home }, claim);
  } catch (error) {
    await claim.lock.release();
    throw error;
  }
}

async function own(options: OwnerOptions, { stateRoot, lock }: HomeClaim): Promise<Owner> {
  await recordPid(ownerPidPath(stateRoot), options.log);
  const registryPath = options.registryFile.location.path;
  const engine = await createEngine({ ...options, registryDir: dirname(registryPath), onWarning: (warning) => options.log(`warning: ${warning}`) });
  let stop!: () => void;
  const asked = new Promise<void>((resolve) => (stop = resolve));
  const facts: OwnerFacts = {
    hello: {
      pid: process.pid,
      home: options.home,
      registry: registryPath,
      registrySource: options.registryFile.location.source,
      ...(options.registryFile.location.overrides?.length ? { overrides: [...options.registryFile.location.overrides] } : {}),
      tracking: trackingOf(options.home),
    },
    shutdown: () => stop(),
    registry: options.registryFile,
    settings: new SettingsStore(options.home),
    runs: new RunHolds(),
  };
  const server = new ContractServer(engine, facts);
  await server.listen(daemonSocketPath(options.home));
  const withdraw = await announceOwner(options.env, options.home, registryPath);
  options.log(`pid ${process.pid} owns ${options.home} (registry ${registryPath})`);
  const stopped = asked.then(async () => {
    withdraw();
    await server.close();
    await engine.close();
    await lock.release();
    options.log(`pid ${process.pid} stopped supervising; services keep running`);
  });
  return { engine, facts, server, stop, stopped };
}

/**
 * Best effort: the pid only helps name an owner that stops answering, so a full disk must not stop
 * one from starting — but a pid file left by an earlier owner must not name that one instead.
 */
async function recordPid(path: string, log: (line: string) => void): Promise<void> {
  try {
    await writeFileAtomic(path, `${process.pid}\n`);
  } catch (error) {
    await rm(path, { force: true }).catch(() => undefined);
    log(`warning: could not record the owner's pid in ${path} (${(error as Error).message}); errors will not name this process`);
  }
}
