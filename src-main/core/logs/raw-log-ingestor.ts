/**
 * Moves what a service wrote to its raw stdout/stderr files into its log, line by line, numbered and
 * time-stamped. Only whole lines are consumed, and the read positions are written into the log with
 * the lines, so a new owner resumes exactly where the last one stopped: nothing lost, nothing twice.
 * Consumed bytes are released from disk (a hole punched at the start of the raw file) while the
 * service's log shim keeps appending to the same file; the real disk blocks left are what the shim
 * measures against its cap (log-caps.ts).
 *
 * Each raw file is kept open and read where it grew (an fstat of the open file, then a read of what
 * is new into one buffer shared by every ingestor): an idle service costs no open, no allocation and
 * no garbage. The name is looked up at each drain, so a raw file deleted and made again by the shim,
 * or replaced, is followed: the old file is read to its end first, then the new one from its start.
 */
import { execFile } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { describeDropMarker, noPunchFlag, RAW_BACKLOG_BYTES, RAW_RELEASABLE, RELEASE_EVERY_BYTES } from './log-caps';
import type { LogStream } from './log-line';
import type { LogFiles } from './log-files';
import type { LogWriter } from './log-writer';

const READ_BYTES = 1024 * 1024;
/** One read buffer for every ingestor of the process (see #read), made on first use: no garbage per drain. */
let buffer: Buffer | undefined;
/** A line longer than this without a newline is cut, so one runaway line cannot hold memory. */
const MAX_LINE_BYTES = 1024 * 1024;
/**
 * Raw bytes per log write: a formatted line adds at most ~46 bytes (seq, time, stream) to its raw
 * bytes, so even empty lines keep one write under BATCH_BYTES, and a log file passes its rotation
 * size by at most that.
 */
const SEGMENT_BYTES = 16 * 1024;

interface Source {
  readonly stream: LogStream;
  readonly name: 'stdout' | 'stderr';
  readonly path: string;
  offset: number;
  released: number;
  /** The raw file as opened (its inode): the name naming another one (made again by the shim, replaced) is read from its start. */
  fd?: number;
  ino?: number;
  /** A punch failed here: consumed bytes stay on disk (see #release). */
  unpunchable?: boolean;
}

export class RawLogIngestor {
  readonly #sources: Source[];
  #draining: Promise<void> = Promise.resolve();

  constructor(
    files: LogFiles,
    private readonly writer: LogWriter,
    /** A log problem (a full disk…) is reported, never thrown: supervision goes on. */
    private readonly onError: (error: Error) => void,
  ) {
    // The writer read the last positions from the log when it opened it.
    const offsets = writer.positions ?? { stdout: 0, stderr: 0 };
    this.#sources = [
      { stream: 'out', name: 'stdout', path: files.rawStdout, offset: offsets.stdout, released: 0 },
      { stream: 'err', name: 'stderr', path: files.rawStderr, offset: offsets.stderr, released: 0 },
    ];
  }

  /** Consumes everything written so far. Calls are serialized, so lines keep their order. */
  drain(): Promise<void> {
    this.#draining = this.#draining.then(async () => {
      this.writer.flush();
      for (const source of this.#sources) await this.#drainSource(source).catch((error: Error) => this.onError(error));
    });
    return this.#draining;
  }

  /** Lets go of the raw files (after the last drain: a later drain would open them again). */
  close(): void {
    for (const source of this.#sources) letGo(source);
  }

  async #drainSource(source: Source): Promise<void> {
    // Not a file (yet): the shim reports what it could not write there.
    const named = statSync(source.path, { throwIfNoEntry: false });
    const file = named?.isFile() ? named : undefined;
    if (source.fd !== undefined && file && file.ino !== source.ino) {
      // Another file under the name: the shim makes one only once it stopped writing the old one
      // (deleted or moved away), so what the old one holds now is the last of it. A name that names
      // nothing keeps the old file: the shim still writes there until it notices.
      try {
        await this.#read(source);
      } finally {
        letGo(source);
      }
    }
    if (source.fd === undefined) {
      if (!file) return;
      try {
        source.fd = openSync(source.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // deleted since the look
        throw error;
      }
      const { ino } = fstatSync(source.fd);
      // Replaced by someone else (or made again): what it holds now is new.
      if (source.ino !== undefined && ino !== source.ino) source.offset = source.released = 0;
      source.ino = ino;
    }
    await this.#read(source);
    if (source.offset - source.released >= RELEASE_EVERY_BYTES) this.#release(source);
  }

  /**
   * Ingests the whole lines between the offset and the open file's end now. Reads are synchronous
   * (a page-cache copy) into the shared buffer, and each read is ingested before the next await, so
   * no other drain touches the buffer in between; a backlog yields to the event loop between reads.
   */
  async #read(source: Source): Promise<void> {
    const fd = source.fd!;
    const { size } = fstatSync(fd);
    // Truncated by someone else: what it holds now is new.
    if (size < source.offset) source.offset = source.released = 0;
    buffer ??= Buffer.allocUnsafe(READ_BYTES);
    while (source.offset < size) {
      const bytesRead = readSync(fd, buffer, 0, Math.min(READ_BYTES, size - source.offset), source.offset);
      if (bytesRead === 0) break;
      const end = buffer.lastIndexOf(10, bytesRead - 1);
      const consumed = end >= 0 ? end + 1 : bytesRead >= MAX_LINE_BYTES ? bytesRead : 0;
      if (consumed === 0) break; // a partial line: wait for its end
      // The offset moves with each write that succeeded, never before: a failed write is read again.
      const data = buffer.subarray(0, consumed);
      for (let at = 0; at < consumed; ) {
        const cut = at + SEGMENT_BYTES >= consumed ? consumed : data.lastIndexOf(10, at + SEGMENT_BYTES - 1) + 1;
        const next = cut > at ? cut : data.indexOf(10, at) + 1 || consumed;
        this.#ingest(source, data.subarray(at, next));
        at = next;
      }
      if (source.offset < size) await new Promise(setImmediate);
    }
  }

  /**
   * Writes one segment of whole lines, a drop marker of the log shim as an event of its own. Line
   * ends are found in the raw bytes: decoding can change lengths (invalid UTF-8 becomes U+FFFD), so
   * the raw offset after each line comes from its newline, never from its decoded text.
   */
  #ingest(source: Source, segment: Buffer): void {
    const lines: { text: string; end: number }[] = [];
    for (let at = 0; at < segment.length; ) {
      const newline = segment.indexOf(10, at);
      const stop = newline === -1 ? segment.length : newline;
      lines.push({ text: segment.toString('utf8', at, stop), end: source.offset + Math.min(stop + 1, segment.length) });
      at = stop + 1;
    }
    const texts = (from: number, to?: number) => lines.slice(from, to).map((line) => line.text);
    let from = 0;
    for (let i = 0; i < lines.length; i++) {
      const marker = lines[i]!.text.charCodeAt(0) === 0 ? describeDropMarker(lines[i]!.text, source.name) : undefined;
      if (marker === undefined) continue;
      if (i > from) this.#commit(source, source.stream, texts(from, i), lines[i - 1]!.end);
      this.#commit(source, 'evt', [marker], lines[i]!.end);
      from = i + 1;
    }
    if (from < lines.length) this.#commit(source, source.stream, texts(from), lines.at(-1)!.end);
  }

  /** Writes lines read up to `end`; only then does the source move there. */
  #commit(source: Source, stream: LogStream, texts: readonly string[], end: number): void {
    const [stdout, stderr] = this.#sources as [Source, Source];
    const positions = { stdout: source === stdout ? end : stdout.offset, stderr: source === stderr ? end : stderr.offset };
    this.writer.write(
      stream,
      texts.map((text) => (text.endsWith('\r') ? text.slice(0, -1) : text)),
      positions,
    );
    source.offset = end;
  }

  /**
   * Frees the consumed bytes (Linux `fallocate --punch-hole`); offsets stay valid. A punch that
   * fails or frees nothing (a file system without hole punching, an fallocate without the option) is
   * said once and flagged beside the raw file, so the shim stops capping by blocks that never fall.
   */
  #release(source: Source): void {
    if (!RAW_RELEASABLE || source.unpunchable) return;
    const length = Math.floor(source.offset / 4096) * 4096;
    source.released = source.offset;
    execFile('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), source.path], (error, _stdout, stderr) => {
      void stat(source.path)
        .then(
          ({ blocks, size }) => {
            if (error) return (stderr.trim() || error.message).slice(0, 200);
            // What is left allocated is at most the part not punched, give or take the file system's own preallocation.
            return blocks * 512 > size - length + PUNCH_SLACK_BYTES ? 'no disk blocks were freed' : undefined;
          },
          () => undefined,
        ) // the file is gone: nothing to free
        .then(async (why) => {
          if (why === undefined || source.unpunchable) return;
          source.unpunchable = true;
          await writeFile(noPunchFlag(source.path), '', { mode: 0o600 }).catch(() => undefined);
          this.onError(
            new Error(
              `cannot free the logged part of ${source.path} (${why}): this file system or its fallocate cannot punch holes, so its ${RAW_BACKLOG_BYTES / 1024 / 1024} MiB backlog cap is not enforced and the file grows with the output`,
            ),
          );
        });
    });
  }
}

function letGo(source: Source): void {
  if (source.fd !== undefined) closeSync(source.fd);
  source.fd = undefined;
}

/** Blocks a file system may keep allocated past what was written (ext4, xfs preallocate). */
const PUNCH_SLACK_BYTES = 4 * 1024 * 1024;
