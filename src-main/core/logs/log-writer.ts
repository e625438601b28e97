/**
 * Appends numbered, time-stamped lines to a service log and rotates it by size, keeping `keep` old
 * files. One writer per service, owned by the engine, so the service's output and the manager's
 * lifecycle events land in one ordered stream. A write is whole or nothing: a short write is
 * continued, a failed one (a full disk) is cut back off the file, and lines get their numbers only
 * once written. Output batches that fail are thrown back (the ingestor keeps its place in the raw
 * files and tries again); lifecycle events are held and written before the next line that fits.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { formatLogLine, formatPositions, parseLogLine, parsePositions, type LogLine, type LogStream, type RawPositions } from './log-line';
import type { LogFiles } from './log-files';

export interface RotationPolicy {
  /** Rotate once the current file reaches this many bytes. */
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/** Lifecycle events held while the log cannot be written; older ones beyond this are counted, not kept. */
const MAX_HELD_EVENTS = 1_000;

export class LogWriteError extends Error {
  readonly diskFull: boolean;

  constructor(path: string, cause: NodeJS.ErrnoException) {
    const full = cause.code === 'ENOSPC' || cause.code === 'EDQUOT';
    super(
      full
        ? `disk full: cannot write ${path} (${cause.code}); output is held back and logged in order once space is freed`
        : `cannot write ${path}: ${cause.message}`,
    );
    this.name = 'LogWriteError';
    this.diskFull = full;
  }
}

export class LogWriter {
  #fd: number;
  #size: number;
  #seq: number;
  #closed = false;
  /** The raw positions last written, carried to the top of each new file so a scan of one file finds them. */
  #positions: RawPositions | undefined;
  /** What a new file must start with (the positions), written with its first lines. */
  #header = '';
  #heldEvents: { time: string; text: string }[] = [];
  #droppedEvents = 0;
  /** When and why writes started failing; cleared by the first write that succeeds. */
  #failing: { since: string; why: string } | undefined;

  constructor(
    private readonly files: LogFiles,
    private readonly rotation: RotationPolicy = DEFAULT_ROTATION,
    private readonly now: () => Date = () => new Date(),
    /** Told when writing starts to fail (once until a write succeeds again). */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    dropCutBatch(files.current);
    ({ seq: this.#seq, positions: this.#positions } = scanTail(files));
    this.#fd = openSync(files.current, 'a', 0o600);
    this.#size = statSync(files.current).size;
  }

  /** The seq of the last line written (0 for an empty log): lines after it are newer than now. */
  get seq(): number {
    return this.#seq;
  }

  /** How far the raw files were read, as last written to this log (undefined before any ingestion). */
  get positions(): RawPositions | undefined {
    return this.#positions;
  }

  /** Lifecycle events wait to be written (see flush). */
  get holding(): boolean {
    return this.#heldEvents.length > 0 || this.#droppedEvents > 0;
  }

  /**
   * Appends the lines in one write (a file may pass maxBytes by one batch), followed by the raw
   * positions they were read up to, when they came from the raw files. Output lines that cannot be
   * written throw a LogWriteError; events are held instead (and [] returned).
   */
  write(stream: LogStream, texts: readonly string[], positions?: RawPositions): LogLine[] {
    if (this.#closed) return [];
    const time = this.now().toISOString();
    try {
      return this.#commit([...this.#held(), ...texts.map((text) => ({ stream, time, text }))], positions);
    } catch (error) {
      if (!(error instanceof LogWriteError) || stream !== 'evt' || positions) throw error;
      this.#hold(texts.map((text) => ({ time, text })));
      return [];
    }
  }

  /** Writes held lifecycle events, if the disk takes them now. Never throws. */
  flush(): void {
    if (!this.#closed && this.holding) this.write('evt', []);
  }

  /** Later writes are dropped: a manager shutting down may still see a late lifecycle event. */
  close(): void {
    this.flush();
    this.#closed = true;
    closeSync(this.#fd);
  }

  /** What waits to go first: since when the log could not be written, how many events did not fit, the events held. */
  #held(): { stream: LogStream; time: string; text: string }[] {
    const since = this.#failing?.since ?? this.now().toISOString();
    return [
      ...(this.#failing
        ? [
            {
              stream: 'evt' as const,
              time: since,
              text: `the log could not be written since ${since} (${this.#failing.why}); what was held back follows, in order`,
            },
          ]
        : []),
      ...(this.#droppedEvents
        ? [{ stream: 'evt' as const, time: since, text: `${this.#droppedEvents} lifecycle events dropped while the log could not be written` }]
        : []),
      ...this.#heldEvents.map((event) => ({ stream: 'evt' as const, ...event })),
    ];
  }

  #hold(events: { time: string; text: string }[]): void {
    this.#heldEvents.push(...events);
    const over = this.#heldEvents.length - MAX_HELD_EVENTS;
    if (over > 0) {
      this.#heldEvents.splice(0, over);
      this.#droppedEvents += over;
    }
  }

  /** Numbers and writes the lines; on failure nothing of them stays on disk and no number is used. */
  #commit(entries: readonly { stream: LogStream; time: string; text: string }[], positions: RawPositions | undefined): LogLine[] {
    const lines = entries.map((entry, i) => ({ seq: this.#seq + 1 + i, ...entry }));
    if (lines.length === 0 && !positions) return [];
    const chunk = this.#header + lines.map(formatLogLine).join('') + (positions ? formatPositions(positions) : '');
    try {
      this.#append(Buffer.from(chunk));
    } catch (error) {
      const cause = error as NodeJS.ErrnoException;
      const failure = new LogWriteError(this.files.current, cause);
      if (!this.#failing) {
        this.#failing = { since: this.now().toISOString(), why: failure.diskFull ? 'disk full' : (cause.code ?? cause.message) };
        this.onError(failure);
      }
      throw failure;
    }
    this.#seq += lines.length;
    this.#positions = positions ?? this.#positions;
    this.#header = '';
    this.#heldEvents = [];
    this.#droppedEvents = 0;
    this.#failing = undefined;
    if (this.#size >= this.rotation.maxBytes) this.#rotate();
    return lines;
  }

  /** All of `bytes`, continuing short writes; a failed write is cut back off, so no torn line stays. */
  #append(bytes: Buffer): void {
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
    } catch (error) {
      // Shortening a file needs no space; if even that fails, dropCutBatch cleans up at the next start.
      if (done > 0) ftruncateSync(this.#fd, this.#size);
      throw error;
    }
    this.#size += bytes.length;
  }

  /**
   * The new file is opened first, under a temporary name, and put in place last: a rotation that
   * fails (no file descriptor left, a read-only folder) is said and leaves the file being written
   * where it was, so lines are never lost to a rename and the next commit simply tries again.
   */
  #rotate(): void {
    const next = `${this.files.current}.next`;
    let fd: number;
    try {
      fd = openSync(next, 'w', 0o600);
    } catch (error) {
      this.onError(new Error(`cannot rotate ${this.files.current}: ${(error as Error).message}`));
      return;
    }
    try {
      rmSync(this.files.rotated(this.rotation.keep), { force: true });
      for (let generation = this.rotation.keep - 1; generation >= 1; generation--) {
        if (existsSync(this.files.rotated(generation))) renameSync(this.files.rotated(generation), this.files.rotated(generation + 1));
      }
      // Missing when an earlier rotation failed between its renames: the file written is then already rotated.
      if (this.rotation.keep > 0 && existsSync(this.files.current)) renameSync(this.files.current, this.files.rotated(1));
      else rmSync(this.files.current, { force: true });
      renameSync(next, this.files.current);
    } catch (error) {
      closeSync(fd);
      rmSync(next, { force: true });
      this.onError(new Error(`cannot rotate ${this.files.current}: ${(error as Error).message}`));
      return;
    }
    closeSync(this.#fd);
    this.#fd = fd;
    this.#size = 0;
    if (this.#positions) this.#header = formatPositions(this.#positions);
  }
}

/**
 * A batch of output lines and the raw positions after it go in one write, but a large write can be
 * cut short when the process is killed (the kernel stops between pages). Output lines after the last
 * positions line are such a cut batch: they are dropped here, since the raw files still hold them
 * and ingestion resumes from those positions — each line logged once. Lifecycle events carry no
 * positions and are written alone, so the ones before the cut stay.
 */
function dropCutBatch(path: string): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  // A small look first: the last positions line is almost always near the end (every manager start reads this).
  for (const want of TAIL_READS) {
    const length = Math.min(size, want);
    const tail = readTailBytes(path, size, length);
    const base = size - length;
    // A positions line cut short is no positions line: the one before it counts.
    let marker = tail.lastIndexOf('\n# raw ');
    while (marker !== -1 && tail.indexOf('\n', marker + 1) === -1) marker = marker === 0 ? -1 : tail.lastIndexOf('\n# raw ', marker - 1);
    let start: number;
    if (marker !== -1) start = tail.indexOf('\n', marker + 1) + 1;
    else if (base === 0) start = tail.subarray(0, 6).toString() === '# raw ' && tail.includes('\n') ? tail.indexOf('\n') + 1 : 0;
    else continue; // no positions within this look: look further, or judge nothing
    for (let at = start; at < tail.length; ) {
      const end = tail.indexOf('\n', at);
      const line = end === -1 ? undefined : parseLogLine(tail.subarray(at, end).toString('utf8'));
      if (!line || line.stream !== 'evt') return truncateSync(path, base + at);
      at = end + 1;
    }
    return;
  }
}

/** How far back from the end of a file lines are looked for: a little, then more than one ingested batch. */
const TAIL_READS = [64 * 1024, 4 * 1024 * 1024];

/** The newest seq and raw positions on disk, looked for from the end of the current file, then the last rotated one. */
function scanTail(files: LogFiles): { seq: number; positions: RawPositions | undefined } {
  let seq: number | undefined;
  let positions: RawPositions | undefined;
  for (const path of [files.current, files.rotated(1)]) {
    if (!existsSync(path)) continue;
    const size = statSync(path).size;
    for (const want of TAIL_READS) {
      const lines = readTail(path, size, Math.min(size, want)).split('\n');
      for (let i = lines.length - 1; i >= 0 && (seq === undefined || positions === undefined); i--) {
        seq ??= parseLogLine(lines[i]!)?.seq;
        positions ??= parsePositions(lines[i]!);
      }
      if ((seq !== undefined && positions !== undefined) || want >= size) break;
    }
    if (seq !== undefined && positions !== undefined) break;
  }
  return { seq: seq ?? 0, positions };
}

function readTail(path: string, size: number, length: number): string {
  return readTailBytes(path, size, length).toString('utf8');
}

function readTailBytes(path: string, size: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer;
}
