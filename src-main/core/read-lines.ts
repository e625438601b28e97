/**
 * Calls `onLine` for each line of a stream: split at "\n" (a "\r" before it is dropped), each line
 * decoded as UTF-8 as a whole, the last one emitted at the end even without its newline. A line is
 * bounded: once it passes `maxLineBytes` without an end, its bytes are dropped up to the next newline
 * and `onOverLimit` is told — so a peer that never sends a newline costs no memory. The stream's
 * errors are its owner's to handle: nothing here listens for them, so nothing here rethrows them.
 * Like readline's interface, the reader emits 'close' once the stream has ended (after its last line)
 * or it is closed.
 */
import { EventEmitter } from 'node:events';

/** The bound when the caller names none: far above any line we expect, far below what hurts. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface LineOptions {
  readonly maxLineBytes?: number;
  /** A line passed the bound (told once per line, with the bytes seen so far); the rest of it is dropped. */
  readonly onOverLimit?: (bytes: number) => void;
}

export class LineReader extends EventEmitter<{ close: [] }> {
  #closed = false;

  constructor(private readonly detach: () => void) {
    super();
  }

  /** Stops reading: no more lines are delivered. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    this.emit('close');
  }
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;

export function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void, options: LineOptions = {}): LineReader {
  const limit = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  const take = (piece: Buffer) => {
    if (dropping) return;
    size += piece.length;
    if (size <= limit) {
      if (piece.length > 0) parts.push(piece);
      return;
    }
    dropping = true;
    parts = [];
    options.onOverLimit?.(size);
  };
  const end = () => {
    const line = dropping ? undefined : Buffer.concat(parts);
    parts = [];
    size = 0;
    dropping = false;
    if (line) onLine(line.at(-1) === RETURN ? line.toString('utf8', 0, line.length - 1) : line.toString('utf8'));
  };
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      take(bytes.subarray(start, newline));
      end();
      start = newline + 1;
    }
    take(bytes.subarray(start));
  };
  const reader = new LineReader(() => {
    input.removeListener('data', onData);
    input.removeListener('end', onEnd);
  });
  const onEnd = () => {
    if (size > 0 && !dropping) end();
    reader.close();
  };
  input.on('data', onData);
  input.on('end', onEnd);
  return reader;
}
