/**
 * One engine owns supervision of a provisioning home at a time. The lock is a unix socket in the
 * home's private state dir (0700, ours): no other user can reach, squat or flood it. A process owns
 * the home while `lock.sock` is a link to a socket it listens on:
 * - it binds and listens on a name of its own first, then links `lock.sock` to it — the link fails
 *   when the name exists, so exactly one process wins, and `lock.sock` never names a socket that is
 *   not listening yet;
 * - a live holder accepts a connection (or its backlog is full: still alive); a refused connection
 *   means the holder died (SIGKILL leaves the file behind);
 * - a dead holder's `lock.sock` is removed only under an exclusive claim (`lock.sock.claim`, a
 *   symlink whose target is the claimant's pid and start time: made whole in one call, and needing
 *   no data block, so a full disk does not stop a takeover) and only if it is still refused then:
 *   two processes that both saw it dead cannot remove a lock a third just took. A claimant that died
 *   is itself removed the same way, one level up;
 * - a holder removes `lock.sock` on release only while it is still its own socket (same inode).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { identify, isAlive } from '../core/process/process-identity';

export interface OwnerLock {
  release(): Promise<void>;
}

const LOCK = 'lock.sock';
/** The name each contender listens on before linking it to LOCK (see LONGEST_SOCKET_NAME in daemon-paths.ts). */
const OWN_NAME = /^lock\.[0-9a-f]{12}\.sock$/;
/** Claims of claims: each level needs a process to die within microseconds, so this is never reached. */
const MAX_CLAIM_DEPTH = 3;
const ATTEMPTS = 200;

export const ownerLockPath = (stateRoot: string): string => join(stateRoot, LOCK);

/** The lock, or undefined when a live process holds it. */
export async function acquireOwnerLock(stateRoot: string): Promise<OwnerLock | undefined> {
  const path = ownerLockPath(stateRoot);
  await sweepDeadNames(stateRoot);
  let own = await listenOnOwnName(stateRoot);
  const giveUp = () => new Promise<undefined>((resolve) => own.server.close(() => resolve(undefined)));
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { server, name } = own;
      try {
        const inode = lstatSync(name).ino;
        linkSync(name, path);
        unlinkQuietly(name);
        return { release: () => release(server, path, inode) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Another contender swept the name in the instant between its bind and its listen: take a new one.
        if (code === 'ENOENT') {
          await giveUp();
          own = await listenOnOwnName(stateRoot);
          continue;
        }
        if (code !== 'EEXIST') throw error;
      }
      const holder = await listenerAt(path);
      if (holder === 'alive') return await giveUp();
      if (holder === 'dead') await removeIfDead(path, async (p) => (await listenerAt(p)) === 'dead');
      // Gone, just removed, or a takeover under way elsewhere: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  } catch (error) {
    await giveUp();
    throw error;
  }
  await giveUp();
  throw new Error(
    `could not take the owner lock ${path}: its claim files (${path}.claim, ${path}.claim.claim) name processes that are still alive; if \`provisioning daemon status\` says none runs, remove those claim files (never ${LOCK}) and run the command again`,
  );
}

/** Removes the names of contenders that died before linking theirs (a refused connection). */
async function sweepDeadNames(stateRoot: string): Promise<void> {
  for (const entry of readdirSync(stateRoot).filter((name) => OWN_NAME.test(name))) {
    const name = join(stateRoot, entry);
    if ((await listenerAt(name)) === 'dead') unlinkQuietly(name);
  }
}

/** Whether a live process listens on the socket at `path`: 'gone' when there is no socket there. */
export function listenerAt(path: string): Promise<'alive' | 'dead' | 'gone'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('alive');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      // Anything but a refusal (a full backlog: EAGAIN) means someone listens.
      resolve(error.code === 'ECONNREFUSED' ? 'dead' : error.code === 'ENOENT' ? 'gone' : 'alive');
    });
  });
}

/**
 * Whether the lock's holder is running: it closes every connection as it arrives, so one that is
 * not closed within `withinMs` means a holder that is stopped or stuck (the kernel accepts for it).
 */
export function lockHolderAnswers(path: string, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let connected = false;
    const socket = connect(path);
    const timer = setTimeout(() => socket.destroy(), withinMs);
    socket.once('connect', () => (connected = true));
    socket.once('end', () => {
      clearTimeout(timer);
      resolve(connected);
      socket.destroy();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
    socket.on('error', () => undefined);
  });
}

async function listenOnOwnName(stateRoot: string): Promise<{ server: Server; name: string }> {
  // Connections only probe liveness: closed at once, so none is ever waited on.
  const server = createServer((socket) => socket.destroy());
  server.maxConnections = 16;
  for (;;) {
    const name = join(stateRoot, `lock.${randomBytes(6).toString('hex')}.sock`);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(name, () => {
          server.removeListener('error', reject);
          resolve();
        });
      });
      server.unref();
      chmodSync(name, 0o600);
      return { server, name };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function release(server: Server, path: string, inode: number): Promise<void> {
  // Unlinked while still listening: until then no one can judge the lock dead and take it. Only
  // while it is ours: if it went, another process may hold the lock now, under the same name.
  try {
    if (lstatSync(path).ino === inode) unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    server.close();
  }
}

/** Removes `path` if `isDead` still says so while this process holds the claim on it. */
async function removeIfDead(path: string, isDead: (path: string) => Promise<boolean>, depth = 0): Promise<void> {
  const claim = `${path}.claim`;
  if (!createClaim(claim)) {
    if (depth < MAX_CLAIM_DEPTH && claimantDead(claim)) await removeIfDead(claim, async (p) => claimantDead(p), depth + 1);
    return;
  }
  try {
    if (await isDead(path)) unlinkQuietly(path);
  } finally {
    unlinkQuietly(claim);
  }
}

/** Makes the claim naming us at `claim`; false when a claim is there already. */
function createClaim(claim: string): boolean {
  try {
    symlinkSync(`${process.pid} ${identify(process.pid)?.startTime ?? ''}`, claim);
    return true;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') return false;
    throw new Error(`could not claim the stale owner lock (${claim}: ${message}); free the file system of the provisioning home and run the command again`, {
      cause: error,
    });
  }
}

function claimantDead(claim: string): boolean {
  let text: string;
  try {
    text = readlinkSync(claim);
  } catch (error) {
    // A claim left by an earlier version is a file holding the same text.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') return false;
    text = readFileQuietly(claim);
  }
  const [pid, startTime] = text.trim().split(' ');
  return !isAlive({ pid: Number(pid), startTime: startTime ?? '' });
}

function readFileQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
