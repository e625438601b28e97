/**
 * The home's key for the build hash (build-context.ts). Build args filled from env references go
 * into that hash, and the hash is a label of the image anyone who can list images reads: a plain
 * SHA-256 of a weak secret (a short password) could be guessed back by hashing candidates. Keyed
 * (HMAC) with a random key only this user can read, the label tells nothing without the key. One
 * key per home, 32 random bytes as hex in its private state folder (0600), made on first use; one
 * that is lost or unreadable is made again, which costs one rebuild of each image.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSmallFile } from '../../read-small-file';
import { writeFileAtomic } from '../../state/atomic-write';
import { stateDirs } from '../../state/state-dirs';

const KEY_HEX = /^[0-9a-f]{64}$/;

/** Read once per home and process: the key does not change while the owner runs. */
const keys = new Map<string, Promise<Buffer>>();

export const buildHashKeyFile = (home: string): string => join(stateDirs(home).state, 'build-hash.key');

export function buildHashKey(home: string): Promise<Buffer> {
  let key = keys.get(home);
  if (!key) {
    key = readOrMake(buildHashKeyFile(home));
    keys.set(home, key);
    // A failure (a full disk) is not kept: the next build tries again.
    key.catch(() => keys.delete(home));
  }
  return key;
}

async function readOrMake(file: string): Promise<Buffer> {
  const read = () => readSmallFile(file, 128, { noFollow: true })?.trim();
  let text = read();
  if (text === undefined) {
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    // Exclusive: two processes making it at once agree on the one that was written first.
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    text = read();
  }
  if (text === undefined || !KEY_HEX.test(text)) {
    text = randomBytes(32).toString('hex');
    await writeFileAtomic(file, `${text}\n`);
  }
  // Made by an older copy or by hand with a looser mode: only this user reads it.
  await chmod(file, 0o600);
  return Buffer.from(text, 'hex');
}
