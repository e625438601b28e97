/**
 * Moves what a service wrote to its raw stdout/stderr files into its log, line by line, numbered and
 * time-stamped. Only whole lines are consumed, and the read positions are written into the log with
 * the lines, so a new owner resumes exactly where the last one stopped: nothing lost, nothing twice. Consumed bytes are released from disk (a hole punched
 * at the start of the raw file) while the service keeps appending to the same file.
 */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { LogStream } from './log-line';
import type { LogFiles } from './log-files';
import type { LogWriter } from './log-writer';

const READ_BYTES = 1024 * 1024;
/** A line longer than this without a newline is cut, so one runaway line cannot hold memory. */
const MAX_LINE_BYTES = 1024 * 1024;
const PUNCH_EVERY_BYTES = 16 * 1024 * 1024;

interface Source {
  readonly stream: LogStream;
  readonly path: string;
  offset: number;
  punched: number;
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
      { stream: 'out', path: files.rawStdout, offset: offsets.stdout, punched: 0 },
      { stream: 'err', path: files.rawStderr, offset: offsets.stderr, punched: 0 },
    ];
  }

  /** Consumes everything written so far. Calls are serialized, so lines keep their order. */
  drain(): Promise<void> {
    this.#draining = this.#draining.then(async () => {
      for (const source of this.#sources) await this.#drainSource(source).catch((error: Error) => this.onError(error));
    });
    return this.#draining;
  }

  async #drainSource(source: Source): Promise<void> {
    let handle;
    try {
      handle = await open(source.path, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const { size } = await handle.stat();
      if (size < source.offset) source.offset = source.punched = 0; // replaced or truncated by someone else
      const buffer = Buffer.alloc(READ_BYTES);
      while (source.offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_BYTES, size - source.offset), source.offset);
        if (bytesRead === 0) break;
        const end = buffer.lastIndexOf(10, bytesRead - 1);
        const consumed = end >= 0 ? end + 1 : bytesRead >= MAX_LINE_BYTES ? bytesRead : 0;
        if (consumed === 0) break; // a partial line: wait for its end
        const texts = buffer.toString('utf8', 0, consumed).split('\n');
        if (texts[texts.length - 1] === '') texts.pop();
        source.offset += consumed;
        const [stdout, stderr] = this.#sources as [Source, Source];
        this.writer.write(source.stream, texts.map((text) => (text.endsWith('\r') ? text.slice(0, -1) : text)), {
          stdout: stdout.offset,
          stderr: stderr.offset,
        });
      }
    } finally {
      await handle.close();
    }
    if (source.offset - source.punched >= PUNCH_EVERY_BYTES) this.#release(source);
  }

  /** Frees the consumed bytes (Linux `fallocate --punch-hole`); offsets stay valid. Best effort. */
  #release(source: Source): void {
    if (process.platform !== 'linux') return;
    const length = Math.floor(source.offset / 4096) * 4096;
    source.punched = source.offset;
    execFile('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), source.path], () => undefined);
  }
}
