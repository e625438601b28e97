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

/**
 * The files that may hold `seq` or later lines, oldest first, each opened at once: a rotation renames
 * files, and an open one keeps its content whatever its name becomes, so reading them cannot skip
 * one that moved. `fromOldest`: the first is the oldest kept (lines before it may be gone for good).
 */
async function openGenerationsFrom(files: LogFiles, seq: number): Promise<{ handles: FileHandle[]; fromOldest: boolean }> {
  const opened = await Promise.all(generations(files).map((path) => open(path, 'r').catch(() => undefined)));
  const handles = opened.filter((handle) => handle !== undefined);
  let from = 0;
  for (let i = handles.length - 1; i > 0; i--) {
    const first = await firstSeq(handles[i]!);
    if (first !== undefined && first <= seq) {
      from = i;
      break;
    }
  }
  await Promise.all(handles.slice(0, from).map((handle) => handle.close()));
  return { handles: handles.slice(from), fromOldest: from === 0 };
}

async function firstSeq(handle: FileHandle): Promise<number | undefined> {
  const buffer = Buffer.alloc(4096);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  // A rotated file starts with the raw positions it carries over: the first numbered line counts.
  const lines = buffer.toString('utf8', 0, bytesRead).split('\n');
  for (const line of lines) {
    const parsed = parseLogLine(line);
    if (parsed) return parsed.seq;
  }
  return undefined;
}

const parseLines = (text: string): LogLine[] => text.split('\n').flatMap((raw) => parseLogLine(raw) ?? []);

/** Every line of an open file. */
async function linesIn(handle: FileHandle): Promise<LogLine[]> {
  return parseLines(await handle.readFile('utf8'));
}

async function linesOf(path: string): Promise<LogLine[]> {
  return readFile(path, 'utf8').then(parseLines, () => []);
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

/** Tries before a hole is accepted: each is a listing and a few opens that a rotation must fall between. */
const CATCH_UP_ATTEMPTS = 20;

/**
 * The lines after `after` in the kept files, in order, a file's at a time (never all in memory). The
 * files are opened before they are read (openGenerationsFrom); only a rotation between the listing
 * and the opens leaves a hole in the seqs, and the catch-up starts over from the last line seen. A
 * hole before the oldest kept file is real: those lines are gone.
 */
async function* catchUp(files: LogFiles, after: number): AsyncGenerator<LogLine[]> {
  let last = after;
  for (let attempt = 1; ; attempt++) {
    const { handles, fromOldest } = await openGenerationsFrom(files, last + 1);
    let moved = false;
    try {
      for (const [index, file] of handles.entries()) {
        const lines = (await linesIn(file)).filter((line) => line.seq > last);
        const rotatedAway = index === 0 && fromOldest;
        if (last > 0 && lines[0] && lines[0].seq !== last + 1 && !rotatedAway && attempt < CATCH_UP_ATTEMPTS) {
          moved = true;
          break;
        }
        yield lines;
        last = lines.at(-1)?.seq ?? last;
      }
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
    if (!moved) return;
  }
}

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
          for await (const lines of catchUp(files, last)) yield* fresh(lines);
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
