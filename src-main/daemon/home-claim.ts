/**
 * The first step of owning a home: its owner lock, taken before anything heavy is loaded. Clients
 * that find no owner each start a daemon, and all but one of those lose the race for the lock: a
 * loser then costs only this module, not the registry and the engine (which the winner loads next).
 */
import { resolveHome } from '../core/paths';
import { privateStateRoot } from './daemon-paths';
import { acquireOwnerLock, type OwnerLock } from './owner-lock';

export interface HomeClaim {
  /** The real path: the lock, the sockets and the process markers all derive from it. */
  readonly home: string;
  readonly stateRoot: string;
  readonly lock: OwnerLock;
}

/** Undefined when another process already owns the home. */
export async function claimHome(home: string): Promise<HomeClaim | undefined> {
  const real = resolveHome(home);
  const stateRoot = privateStateRoot(real);
  const lock = await acquireOwnerLock(stateRoot);
  return lock && { home: real, stateRoot, lock };
}
