/**
 * Reads the env files a registry names, synchronously (they are small, and the registry is parsed
 * in one pass) and bounded: a regular file of at most MAX_ENV_FILE_BYTES, opened without blocking
 * (a FIFO named `.env` cannot hang the owner), UTF-8. Relative paths start at the file that names it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EnvFileRead, EnvFileReader } from '@shared/model/env-file-values';
import { displayPathOf } from './registry-naming';

/** Far above any real env file; what is larger is not one. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** `files`: each registry or override file's path as shown, to its path on disk; `reading` is told each path read. */
export function envFileReader(files: ReadonlyMap<string, string>, cwd: string, reading: (path: string) => void = () => {}): EnvFileReader {
  return (path, declaredIn) => {
    const absolute = resolve(dirname(files.get(declaredIn) ?? resolve(cwd, declaredIn)), path);
    reading(absolute);
    return readEnvFile(absolute, displayPathOf(absolute, cwd));
  };
}

export function readEnvFile(path: string, file: string): EnvFileRead {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { file, problem: 'is a directory, not an env file' };
    if (!stat.isFile()) return { file, problem: 'is not a regular file' };
    if (stat.size > MAX_ENV_FILE_BYTES) return { file, problem: `is ${stat.size} bytes: an env file may be at most 1 MiB` };
    const buffer = Buffer.alloc(stat.size);
    const length = readSync(fd, buffer, 0, stat.size, 0);
    return { file, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length)) };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, missing: true };
    if (cause instanceof TypeError) return { file, problem: 'is not valid UTF-8: save it as UTF-8' };
    return { file, problem: `cannot be read: ${code ?? String(cause)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
