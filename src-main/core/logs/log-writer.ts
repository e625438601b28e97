/**
 * Appends numbered, time-stamped lines to a service log and rotates it by size, keeping `keep` old
 * files. One writer per service, owned by the engine, so the service's output and the manager's
 * lifecycle events land in one ordered stream.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { formatLogLine, parseLogLine, type LogLine, type LogStream } from './log-line';
import type { LogFiles } from './log-files';

export interface RotationPolicy {
  /** Rotate once the current file reaches this many bytes. */
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

/** Lines are written in chunks of about this size (a file may pass maxBytes by one chunk). */
const CHUNK_CHARS = 256 * 1024;

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

export class LogWriter {
  #fd: number;
  #size: number;
  #seq: number;
  #closed = false;

  constructor(
    private readonly files: LogFiles,
    private readonly rotation: RotationPolicy = DEFAULT_ROTATION,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#seq = lastSeq(files);
    this.#fd = openSync(files.current, 'a', 0o600);
    this.#size = statSync(files.current).size;
  }

  /** The seq of the last line written (0 when the log is empty). */
  get seq(): number {
    return this.#seq;
  }

  write(stream: LogStream, texts: readonly string[]): LogLine[] {
    if (this.#closed) return [];
    const time = this.now().toISOString();
    const lines = texts.map((text) => ({ seq: ++this.#seq, time, stream, text }));
    let chunk = '';
    for (const line of lines) {
      chunk += formatLogLine(line);
      if (chunk.length < CHUNK_CHARS) continue;
      this.#append(chunk);
      chunk = '';
    }
    if (chunk) this.#append(chunk);
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
  }
}

/** The seq of the newest line on disk: read from the end of the newest non-empty file. */
function lastSeq(files: LogFiles): number {
  for (const path of [files.current, files.rotated(1)]) {
    if (!existsSync(path)) continue;
    const size = statSync(path).size;
    if (size === 0) continue;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const lines = buffer.toString('utf8').split('\n').filter(Boolean);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = parseLogLine(lines[i]!);
      if (line) return line.seq;
    }
  }
  return 0;
}
