/**
 * A small file read synchronously and bounded — settings, index entries — for the paths that must
 * stay cheap (a command's discovery, a Tab): a regular file only (a FIFO would block, a device or a
 * folder is no file), at most `maxBytes`, opened without following a symlink when `noFollow`.
 * Undefined for anything else, never a throw.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export function readSmallFile(path: string, maxBytes: number, { noFollow = false } = {}): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(stat.size);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, stat.size, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
