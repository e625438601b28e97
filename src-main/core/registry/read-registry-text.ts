/**
 * A registry file's text, read so that no file can hang or flood the reader (read-regular-file.ts):
 * a regular file of at most MAX_REGISTRY_FILE_BYTES; its bytes must be UTF-8 (a fatal decoder), else the first bad byte is located.
 */
import { MAX_REGISTRY_FILE_BYTES } from '@shared/model';
import { readRegularFile } from '../read-regular-file';

export type RegistryText = { readonly text: string } | { readonly problem: string; readonly line: number; readonly column: number };

/** Throws the file system's error when the file cannot be opened (ENOENT, EACCES…). */
export async function readRegistryText(path: string): Promise<RegistryText> {
  const read = await readRegularFile(path, MAX_REGISTRY_FILE_BYTES);
  if ('bytes' in read) return decodeUtf8(read.bytes);
  switch (read.problem) {
    case 'directory':
      return at1('is a directory, not a registry file');
    case 'not-regular':
      return at1(`is ${read.what}, not a regular file: a registry must be a regular file`);
    case 'too-large':
      return at1(`is ${read.size} bytes: a registry may be at most ${MAX_REGISTRY_FILE_BYTES / 1024 / 1024} MiB`);
    case 'changed':
      return at1('was replaced while it was read: validate again');
  }
}

const at1 = (problem: string): RegistryText => ({ problem, line: 1, column: 1 });

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
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : lead >= 0xf1 && lead <= 0xf3
                    ? [4, 0x80, 0xbf]
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
