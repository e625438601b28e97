/**
 * Reads a file that something outside may have put anything at (a registry, a state record) so
 * that nothing there can hang, flood or disturb the reader: what the path names is looked at
 * before it is opened (opening some devices acts), it is opened without blocking (a FIFO would
 * wait for a writer), the opened file must be the one looked at, and at most `maxBytes + 1` bytes
 * are read whatever size it claims (procfs files say 0 and have no bound).
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export type RegularFileRead =
  | { readonly bytes: Buffer }
  | { readonly problem: 'directory' }
  /** `what` names it: "a FIFO (named pipe)", "a character device"… */
  | { readonly problem: 'not-regular'; readonly what: string }
  /** `size` is at least what was read (past the bound, reading stopped). */
  | { readonly problem: 'too-large'; readonly size: number }
  | { readonly problem: 'changed' };

/** Throws the file system's error when the path cannot be looked at or opened (ENOENT, EACCES…). */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  const seen = await stat(path);
  const refused = kindProblem(seen);
  if (refused) return refused;
  if (seen.size > maxBytes) return { problem: 'too-large', size: seen.size };
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const opened = await handle.stat();
    // Replaced between the look and the open (by a FIFO, a device, another file).
    if (opened.dev !== seen.dev || opened.ino !== seen.ino || !opened.isFile()) return { problem: 'changed' };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // It grew since the look, or claims a size it does not have (procfs).
      if (total > maxBytes) return { problem: 'too-large', size: total };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } finally {
    await handle.close();
  }
}

function kindProblem(info: Stats): RegularFileRead | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return { problem: 'directory' };
  const what = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isCharacterDevice()
      ? 'a character device'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isSocket()
          ? 'a socket'
          : 'not a regular file';
  return { problem: 'not-regular', what };
}
