/**
 * Where an interactive instance's pty shim listens: `<home>/services/pty/<12 hex>.sock`, a folder
 * made 0700 and checked to be ours. The folder's permission is the peer check (as for the owner's
 * socket): only this uid can reach the socket. The name is a hash of the instance, so every
 * socket path has the length of the owner's lock socket or less (daemon-paths.ts refuses a home too long for that).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ownFolder } from '../own-folder';
import { stateDirs } from '../state/state-dirs';

const ptyFolder = (home: string): string => join(stateDirs(home).root, 'pty');

export const ptySocketPath = (home: string, instance: string): string =>
  join(ptyFolder(home), `${createHash('sha256').update(instance).digest('hex').slice(0, 12)}.sock`);

/** The folder of the pty sockets, made when missing; throws an Error when it is not a private folder of ours. */
export function privatePtyFolder(home: string): string {
  const dir = ptyFolder(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!ownFolder(dir).own) throw new Error(`${dir} is not a private folder of yours: move it away and try again`);
  return dir;
}
