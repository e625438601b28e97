/**
 * Moves what a service wrote to its raw stdout/stderr files into its log, line by line, numbered and
 * time-stamped. Only whole lines are consumed and the read positions are saved, so a new owner
 * resumes exactly where the last one stopped. Consumed bytes are released from disk (a hole punched
 * at the start of the raw file) while the service keeps appending to the same file.
 */
import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../state/atomic-write';
import type { LogLine, LogStream } from './log-line';
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

  private constructor(
    private readonly files: LogFiles,
    private readonly writer: LogWriter,
    private readonly onLines: (lines: LogLine[]) => void,
    offsets: { stdout: number; stderr: number },
  ) {
    this.#sources = [
      { stream: 'out', path: files.rawStdout, offset: offsets.stdout, punched: 0 },
      { stream: 'err', path: files.rawStderr, offset: offsets.stderr, punched: 0 },
    ];
  }

  static async open(files: LogFiles, writer: LogWriter, onLines: (lines: LogLine[]) => void = () => undefined): Promise<RawLogIngestor> {
    let offsets = { stdout: 0, stderr: 0 };
    try {
      offsets = { ...offsets, ...(JSON.parse(await readFile(files.offsets, 'utf8')) as typeof offsets) };
    } catch {
      // no saved positions yet: start at the beginning
    }
    return new RawLogIngestor(files, writer, onLines, offsets);
  }

  /** Consumes everything written so far. Calls are serialized, so lines keep their order. */
  drain(): Promise<void> {
    this.#draining = this.#draining.then(() => this.#drainOnce());
    return this.#draining;
  }

  async #drainOnce(): Promise<void> {
    let moved = false;
    for (const source of this.#sources) moved = (await this.#drainSource(source)) || moved;
    if (!moved) return;
    const [stdout, stderr] = this.#sources;
    await writeFileAtomic(this.files.offsets, JSON.stringify({ stdout: stdout!.offset, stderr: stderr!.offset }));
  }

  async #drainSource(source: Source): Promise<boolean> {
    let handle;
    try {
      handle = await open(source.path, 'r');
    } catch {
      return false; // not created yet
    }
    let moved = false;
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
        this.onLines(this.writer.write(source.stream, texts.map((text) => (text.endsWith('\r') ? text.slice(0, -1) : text))));
        source.offset += consumed;
        moved = true;
      }
    } finally {
      await handle.close();
    }
    if (source.offset - source.punched >= PUNCH_EVERY_BYTES) this.#release(source);
    return moved;
  }

  /** Frees the consumed bytes (Linux `fallocate --punch-hole`); offsets stay valid. Best effort. */
  #release(source: Source): void {
    if (process.platform !== 'linux') return;
    const length = Math.floor(source.offset / 4096) * 4096;
    source.punched = source.offset;
    execFile('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), source.path], () => undefined);
  }
}
