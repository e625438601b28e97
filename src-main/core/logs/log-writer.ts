/**
 * Appends numbered, time-stamped lines to a service log and rotates it by size, keeping `keep` old
 * files. One writer per service, owned by the engine, so the service's output and the manager's
 * lifecycle events land in one ordered stream.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { formatLogLine, formatPositions, parseLogLine, parsePositions, type LogLine, type LogStream, type RawPositions } from './log-line';
import type { LogFiles } from './log-files';

export interface RotationPolicy {
  /** Rotate once the current file reaches this many bytes. */
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

export class LogWriter {
  #fd: number;
  #size: number;
  #seq: number;
  #closed = false;
  /** The raw positions last written, carried to the top of each new file so a scan of one file finds them. */
  #positions: RawPositions | undefined;

  constructor(
    private readonly files: LogFiles,
    private readonly rotation: RotationPolicy = DEFAULT_ROTATION,
    private readonly now: () => Date = () => new Date(),
  ) {
    dropCutBatch(files.current);
    ({ seq: this.#seq, positions: this.#positions } = scanTail(files));
    this.#fd = openSync(files.current, 'a', 0o600);
    this.#size = statSync(files.current).size;
  }

  /** How far the raw files were read, as last written to this log (undefined before any ingestion). */
  get positions(): RawPositions | undefined {
    return this.#positions;
  }

  /**
   * Appends the lines in one write (a file may pass maxBytes by one batch), followed by the raw
   * positions they were read up to, when they came from the raw files.
   */
  write(stream: LogStream, texts: readonly string[], positions?: RawPositions): LogLine[] {
    if (this.#closed) return [];
    const time = this.now().toISOString();
    const lines = texts.map((text) => ({ seq: ++this.#seq, time, stream, text }));
    this.#positions = positions ?? this.#positions;
    this.#append(lines.map(formatLogLine).join('') + (positions ? formatPositions(positions) : ''));
    return lines;
  }

  /** Later writes are dropped: a manager shutting down may still see a late lifecycle event. */
  close(): void {
    this.#closed = true;
    closeSync(this.#fd);
  }

  #append(chunk: string): void {
    const bytes = Buffer.from(chunk);
    writeSync(this.#fd, bytes);
    this.#size += bytes.length;
    if (this.#size >= this.rotation.maxBytes) this.#rotate();
  }

  #rotate(): void {
    closeSync(this.#fd);
    rmSync(this.files.rotated(this.rotation.keep), { force: true });
    for (let generation = this.rotation.keep - 1; generation >= 1; generation--) {
      if (existsSync(this.files.rotated(generation))) renameSync(this.files.rotated(generation), this.files.rotated(generation + 1));
    }
    if (this.rotation.keep > 0) renameSync(this.files.current, this.files.rotated(1));
    else rmSync(this.files.current, { force: true });
    this.#fd = openSync(this.files.current, 'a', 0o600);
    this.#size = 0;
    if (this.#positions) this.#size += writeSync(this.#fd, formatPositions(this.#positions));
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
