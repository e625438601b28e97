/**
 * A registry file's text, read so that no file can hang or flood the reader: it is opened without
 * blocking (a FIFO would wait forever for a writer) and must be a regular file of at most
 * MAX_REGISTRY_FILE_BYTES; its bytes must be UTF-8 (a fatal decoder), else the first bad byte is located.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_REGISTRY_FILE_BYTES } from '@shared/model';

export type RegistryText =
  | { readonly text: string }
  | { readonly problem: string; readonly line: number; readonly column: number };

/** Throws the file system's error when the file cannot be opened (ENOENT, EACCES…). */
export async function readRegistryText(path: string): Promise<RegistryText> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return at1(info.isDirectory() ? 'is a directory, not a registry file' : `is ${kindOf(info)}, not a regular file: a registry must be a regular file`);
    if (info.size > MAX_REGISTRY_FILE_BYTES) return at1(tooLarge(info.size));
    const bytes = await handle.readFile();
    // It may have grown since the stat.
    if (bytes.length > MAX_REGISTRY_FILE_BYTES) return at1(tooLarge(bytes.length));
    return decodeUtf8(bytes);
  } finally {
    await handle.close();
  }
}

const at1 = (problem: string): RegistryText => ({ problem, line: 1, column: 1 });
const tooLarge = (size: number) => `is ${size} bytes: a registry may be at most ${MAX_REGISTRY_FILE_BYTES / 1024 / 1024} MiB`;

function kindOf(info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function decodeUtf8(bytes: Uint8Array): RegistryText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    const line = 1 + bytes.subarray(0, lineStart).reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 0);
    // Columns count characters, as for every other registry error: the line up to the bad byte is valid.
    const column = 1 + new TextDecoder().decode(bytes.subarray(lineStart, offset)).length;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    return { problem: `not valid UTF-8 (byte 0x${byte}): save the file as UTF-8`, line, column };
  }
}

/**
 * Offset of the first byte of the first sequence that is not UTF-8 (an overlong form, a surrogate,
 * past U+10FFFF, a stray or missing continuation byte, a sequence cut off at the end); the length when all are.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte → length and the allowed range of the second byte (RFC 3629's table).
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
      : lead === 0xe0 ? [3, 0xa0, 0xbf]
      : lead === 0xed ? [3, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
      : lead === 0xf0 ? [4, 0x90, 0xbf]
      : lead === 0xf4 ? [4, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
      : [0, 0, 0];
    if (length === 0) return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}
