/**
 * Files of the owning daemon, inside the private state dir (`<home>/services`, 0700 and ours: the
 * kernel's permission check keeps every other user off its sockets). A socket's path must fit the
 * system's limit (107 bytes on Linux): a longer one would be cut and bound somewhere else, so it is
 * refused before anything binds or waits.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { ownFolder } from '../core/own-folder';
import { join } from 'node:path';
import { HomeError } from '../core/paths';
import { stateDirs } from '../core/state/state-dirs';

const SOCKET_PATH_MAX = process.platform === 'linux' ? 107 : 103;
/** The longest socket name used in the state dir: the owner lock's temporary name (owner-lock.ts). */
const LONGEST_SOCKET_NAME = 'lock.123456789abc.sock'.length;

const root = (home: string): string => stateDirs(home).root;

/** The contract socket; throws a HomeError when the home is too long for socket paths. */
export function daemonSocketPath(home: string): string {
  const dir = root(home);
  const longest = Buffer.byteLength(dir) + 1 + LONGEST_SOCKET_NAME;
  if (longest > SOCKET_PATH_MAX) {
    throw new HomeError(
      `the provisioning home ${home} is too long for its sockets (${longest} bytes, the system allows ${SOCKET_PATH_MAX}); set PROVISIONING_HOME to a path at least ${longest - SOCKET_PATH_MAX} bytes shorter`,
    );
  }
  return join(dir, 'owner.sock');
}

export const daemonLogPath = (home: string): string => join(root(home), 'daemon.log');
/** The owner's pid, written once it holds the lock: named when the owner stops answering. */
export const ownerPidPath = (stateRoot: string): string => join(stateRoot, 'owner.pid');

/**
 * The state dir, created 0700; refused when it is not a folder of ours (a symlink, or someone
 * else's), and made 0700 again when it is ours but open.
 */
export function privateStateRoot(home: string): string {
  const dir = root(home);
  daemonSocketPath(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { own, stat } = ownFolder(dir);
  if (!own) {
    throw new HomeError(
      `${dir} is not a private folder of yours (${stat.isDirectory() ? `it belongs to uid ${stat.uid}` : 'not a folder'}); move it away and run the command again`,
    );
  }
  return dir;
}

/** The pid the owner recorded, if any. */
export function recordedOwnerPid(stateRoot: string): number | undefined {
  try {
    const pid = Number(readFileSync(ownerPidPath(stateRoot), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
