/**
 * One engine owns supervision of a provisioning home at a time. The lock is a unix socket in the
 * home's private state dir (0700, ours): no other user can reach, squat or flood it. A process owns
 * the home while `lock.sock` is a link to a socket it listens on:
 * - it binds and listens on a name of its own first, then links `lock.sock` to it — the link fails
 *   when the name exists, so exactly one process wins, and `lock.sock` never names a socket that is
 *   not listening yet;
 * - a live holder accepts a connection (or its backlog is full: still alive); a refused connection
 *   means the holder died (SIGKILL leaves the file behind);
 * - a dead holder's `lock.sock` is removed only under an exclusive claim (`lock.sock.claim`, a file
 *   holding the claimant's pid and start time, linked into place whole) and only if it is still
 *   refused then: two processes that both saw it dead cannot remove a lock a third just took. A
 *   claimant that died is itself removed the same way, one level up.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { identify, isAlive } from '../core/process/process-identity';

export interface OwnerLock {
  release(): Promise<void>;
}

const LOCK = 'lock.sock';
/** Claims of claims: each level needs a process to die within microseconds, so this is never reached. */
const MAX_CLAIM_DEPTH = 3;
const ATTEMPTS = 200;

export const ownerLockPath = (stateRoot: string): string => join(stateRoot, LOCK);

/** The lock, or undefined when a live process holds it. */
export async function acquireOwnerLock(stateRoot: string): Promise<OwnerLock | undefined> {
  const path = ownerLockPath(stateRoot);
  const { server, name } = await listenOnOwnName(stateRoot);
  const giveUp = () => new Promise<undefined>((resolve) => server.close(() => resolve(undefined)));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      linkSync(name, path);
      unlinkSync(name);
      return { release: () => release(server, path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        await giveUp();
        throw error;
      }
    }
    const holder = await listenerAt(path);
    if (holder === 'alive') return giveUp();
    if (holder === 'dead') await removeIfDead(path, async (p) => (await listenerAt(p)) === 'dead');
    // Gone, just removed, or a takeover under way elsewhere: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  await giveUp();
  throw new Error(`could not take the owner lock ${path}: it stayed held by a process that is neither alive nor gone; remove it and run the command again`);
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

async function release(server: Server, path: string): Promise<void> {
  // Unlinked while still listening: until then no one can judge the lock dead and take it.
  unlinkSync(path);
  server.close();
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

/** Links a complete file naming us at `claim`; false when a claim is there already. */
function createClaim(claim: string): boolean {
  const draft = `${claim}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${process.pid} ${identify(process.pid)?.startTime ?? ''}\n`, { mode: 0o600 });
  try {
    linkSync(draft, claim);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkQuietly(draft);
  }
}

function claimantDead(claim: string): boolean {
  let text: string;
  try {
    text = readFileSync(claim, 'utf8');
  } catch {
    return false;
  }
  const [pid, startTime] = text.trim().split(' ');
  return !isAlive({ pid: Number(pid), startTime: startTime ?? '' });
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
