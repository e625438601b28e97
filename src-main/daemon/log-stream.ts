/**
 * A service's log pushed to one receiver: lines batched into at most 60 messages a second, and
 * while the receiver's transport holds more than it should (a slow browser tab under a 10 MB/s
 * flood), the batch is dropped and a gap marker sent instead — memory stays bounded, order holds,
 * and nothing is lost silently. A receiver that shows only so many lines a second (the UI's log
 * view) gets the newest of each batch and a gap marker for the rest, so a flood is not carried,
 * parsed and thrown away. A batch is split so no message passes the frame bound.
 */
import type { LogMessage } from '@shared/contract/logs';
import { pushed } from '@shared/contract/pushed';
import type { LogFiles } from '../core/logs/log-files';
import type { LogLine } from '../core/logs/log-line';
import { followLog } from '../core/logs/log-reader';
import { MAX_FRAME_BYTES } from './frame-limit';

export const MAX_MESSAGES_PER_SECOND = 60;
/** Bytes waiting in the transport beyond which batches are dropped (with a gap marker): under a second of a 10 MB/s flood. */
export const MAX_BUFFERED = 8 * 1024 * 1024;
/** Encoded lines per message: room is left for the envelope (service name, keys) within one frame. */
const MAX_BATCH_BYTES = MAX_FRAME_BYTES - 64 * 1024;

export interface LogStreamOptions {
  readonly service: string;
  readonly files: LogFiles;
  readonly afterSeq: number;
  readonly signal: AbortSignal;
  readonly push: (message: LogMessage) => void;
  /** Bytes the transport still holds for this receiver. */
  readonly buffered: () => number;
  readonly maxLinesPerSecond?: number | undefined;
}

export async function streamLog(options: LogStreamOptions): Promise<void> {
  let batch: LogLine[] = [];
  const perBatch = options.maxLinesPerSecond ? Math.ceil(options.maxLinesPerSecond / MAX_MESSAGES_PER_SECOND) : Infinity;
  const gap = (from: LogLine, to: LogLine) => options.push(pushed.logs({ service: options.service, gap: { from: from.seq, to: to.seq } }));
  const flush = () => {
    if (batch.length === 0) return;
    let lines = batch;
    batch = [];
    if (options.buffered() > MAX_BUFFERED) return gap(lines[0]!, lines.at(-1)!);
    if (lines.length > perBatch) {
      gap(lines[0]!, lines[lines.length - perBatch - 1]!);
      lines = lines.slice(-perBatch);
    }
    for (const part of splitByFrame(lines)) {
      if ('tooLarge' in part) gap(part.tooLarge, part.tooLarge);
      else options.push(pushed.logs({ service: options.service, lines: part }));
    }
  };
  const timer = setInterval(flush, 1000 / MAX_MESSAGES_PER_SECOND);
  try {
    for await (const line of followLog(options.files, { afterSeq: options.afterSeq, signal: options.signal, pollMs: 50 })) batch.push(line);
  } finally {
    clearInterval(timer);
    flush();
  }
}

/**
 * Lines in parts that each fit one frame. A line is sized by a bound on its JSON (a UTF-16 unit is
 * at most 6 bytes escaped — `\u0001` — plus its fields), measured exactly only when that bound is
 * too large; a line whose JSON alone passes the frame is given as `tooLarge` (sent as a gap).
 */
function* splitByFrame(lines: LogLine[]): Generator<LogLine[] | { tooLarge: LogLine }> {
  let part: LogLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    let size = line.text.length * 6 + 128;
    if (size > MAX_BATCH_BYTES) size = Buffer.byteLength(JSON.stringify(line)) + 1;
    if (size > MAX_BATCH_BYTES) {
      if (part.length > 0) yield part;
      part = [];
      bytes = 0;
      yield { tooLarge: line };
      continue;
    }
    if (part.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      yield part;
      part = [];
      bytes = 0;
    }
    part.push(line);
    bytes += size;
  }
  if (part.length > 0) yield part;
}
