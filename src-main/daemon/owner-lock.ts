/**
 * One engine owns supervision of a provisioning home at a time. On Linux the lock is an abstract unix
 * socket: the kernel lets one process bind a name and frees it when that process dies, so a crashed
 * owner never leaves a stale lock. Elsewhere an exclusive lock file holds the owner's pid and start
 * time, and a lock whose owner is gone is taken over.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { identify, isAlive } from '../core/process/process-identity';

export interface OwnerLock {
  release(): Promise<void>;
}

export async function acquireOwnerLock(home: string, stateRoot: string): Promise<OwnerLock | undefined> {
  return process.platform === 'linux' ? abstractSocketLock(home) : lockFile(join(stateRoot, 'owner.lock'));
}

async function abstractSocketLock(home: string): Promise<OwnerLock | undefined> {
  const server = createServer();
  const name = `\u0000provisioning-owner-${createHash('sha256').update(home).digest('hex').slice(0, 24)}`;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw error;
  }
  server.unref();
  return { release: () => new Promise((resolve) => server.close(() => resolve())) };
}

function lockFile(path: string, retried = false): OwnerLock | undefined {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeSync(fd, `${process.pid} ${identify(process.pid)?.startTime ?? ''}\n`);
    closeSync(fd);
    return { release: async () => unlinkSync(path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || retried) return undefined;
    const [pid, startTime] = readFileSync(path, 'utf8').trim().split(' ');
    if (isAlive({ pid: Number(pid), startTime: startTime ?? '' })) return undefined;
    unlinkSync(path);
    return lockFile(path, true);
  }
}
