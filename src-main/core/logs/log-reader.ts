/**
 * Reads a service log across its rotated files: the last N lines, or every line after a seq as it is
 * written. Sequence numbers make it exact: a follower that sees a rotation re-reads the rotated files
 * for lines after its last seq, so nothing is lost or repeated.
 */
import { existsSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { parseLogLine, type LogLine } from './log-line';
import type { LogFiles } from './log-files';

/** Oldest first: the rotated generations that exist, then the current file. */
function generations(files: LogFiles): string[] {
  const paths: string[] = [];
  for (let generation = 1; existsSync(files.rotated(generation)); generation++) paths.unshift(files.rotated(generation));
  return [...paths, files.current];
}

/** The generations that may hold `seq` or later lines: from the newest one starting at or before it. */
async function generationsFrom(files: LogFiles, seq: number): Promise<string[]> {
  const paths = generations(files);
  for (let i = paths.length - 1; i > 0; i--) {
    const first = await firstSeq(paths[i]!);
    if (first !== undefined && first <= seq) return paths.slice(i);
  }
  return paths;
}

async function firstSeq(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // A rotated file starts with the raw positions it carries over: the first numbered line counts.
    const lines = buffer.toString('utf8', 0, bytesRead).split('\n');
    for (const line of lines) {
      const parsed = parseLogLine(line);
      if (parsed) return parsed.seq;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

async function linesOf(path: string): Promise<LogLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((raw) => parseLogLine(raw) ?? []);
}

/**
 * The last `count` lines (all of them when count is undefined), oldest first; with `keep`, the last
 * `count` it keeps — older generations are read only while too few were kept.
 */
export async function tailLog(files: LogFiles, count?: number, keep?: (line: LogLine) => boolean): Promise<LogLine[]> {
  const collected: LogLine[][] = [];
  let total = 0;
  for (const path of generations(files).reverse()) {
    const read = await linesOf(path);
    const lines = keep ? read.filter(keep) : read;
    collected.unshift(lines);
    total += lines.length;
    if (count !== undefined && total >= count) break;
  }
  const all = collected.flat();
  return count === undefined ? all : all.slice(Math.max(0, all.length - count));
}

/** Paging back: the last `count` lines older than seq `before`, read from the rotated files as far as they go (logTail's `before`). */
export function tailBefore(files: LogFiles, count: number, before: number): Promise<LogLine[]> {
  return tailLog(files, count, (line) => line.seq < before);
}

export interface FollowOptions {
  /** Yield lines with a greater seq (0: from the oldest kept line). */
  readonly afterSeq: number;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

/** Tries before a gap is accepted (the lines were rotated away before the follower could read them). */
const CATCH_UP_ATTEMPTS = 5;

/** Every line after `afterSeq`, then each new one as it is written, until the signal aborts. */
export async function* followLog(files: LogFiles, options: FollowOptions): AsyncGenerator<LogLine> {
  let last = options.afterSeq;
  let inode = -1;
  let offset = 0;
  const pollMs = options.pollMs ?? 100;
  const fresh = function* (lines: readonly LogLine[]) {
    for (const line of lines) {
      if (line.seq <= last) continue;
      last = line.seq;
      yield line;
    }
  };
  while (!options.signal?.aborted) {
    // Read through one open handle: a rotation between a stat and a read cannot mix two files.
    const handle = await open(files.current, 'r').catch(() => undefined);
    if (handle) {
      try {
        const { ino, size } = await handle.stat();
        if (ino !== inode) {
          // First look, or a rotation: catch up by seq from the file holding the next line, then reread this one.
          // Files are read by name, so a rotation during the catch-up can shift them: a gap in the seqs
          // means a file moved past us, and the catch-up starts over from the last line seen.
          for (let attempt = 0; attempt < CATCH_UP_ATTEMPTS; attempt++) {
            let gap = false;
            for (const path of await generationsFrom(files, last + 1)) {
              const lines = await linesOf(path);
              const next = lines.find((line) => line.seq > last);
              if (last > 0 && next && next.seq !== last + 1 && attempt + 1 < CATCH_UP_ATTEMPTS) {
                gap = true;
                break;
              }
              yield* fresh(lines);
            }
            if (!gap) break;
          }
          inode = ino;
          offset = 0;
        } else if (size > offset) {
          const { lines, consumed } = await readFrom(handle, offset, size);
          offset += consumed;
          yield* fresh(lines);
        }
      } finally {
        await handle.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Whole lines between two byte offsets, and how many bytes they took. */
async function readFrom(handle: FileHandle, from: number, to: number): Promise<{ lines: LogLine[]; consumed: number }> {
  const buffer = Buffer.alloc(to - from);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
  const end = buffer.lastIndexOf(10, bytesRead - 1);
  if (end < 0) return { lines: [], consumed: 0 };
  const lines = buffer
    .toString('utf8', 0, end)
    .split('\n')
    .flatMap((raw) => parseLogLine(raw) ?? []);
  return { lines, consumed: end + 1 };
}
