/**
 * One line of a service log: `<seq> <time> <stream> <text>`. The sequence number makes positions
 * survive rotation (a reader resumes after the last seq it saw, whichever file holds it) and lets
 * readers prove they missed or repeated nothing.
 */

/** out/err: the service's own output; evt: a lifecycle event written by the manager, inline. */
export type LogStream = 'out' | 'err' | 'evt';

export interface LogLine {
  readonly seq: number;
  readonly time: string;
  readonly stream: LogStream;
  readonly text: string;
}

export const formatLogLine = (line: LogLine): string => `${line.seq} ${line.time} ${line.stream} ${line.text}\n`;

export function parseLogLine(raw: string): LogLine | undefined {
  const first = raw.indexOf(' ');
  const second = raw.indexOf(' ', first + 1);
  const third = raw.indexOf(' ', second + 1);
  if (first < 1 || second < 0 || third < 0) return undefined;
  const stream = raw.slice(second + 1, third);
  if (stream !== 'out' && stream !== 'err' && stream !== 'evt') return undefined;
  const seq = Number(raw.slice(0, first));
  if (!Number.isSafeInteger(seq)) return undefined;
  return { seq, time: raw.slice(first + 1, second), stream, text: raw.slice(third + 1) };
}

/**
 * Where ingestion stood in the raw files after the lines before it: `# raw <stdout> <stderr>`.
 * Written in the same write as those lines, so a crash can never separate lines from position,
 * and a new owner resumes exactly after the last line logged. Readers skip it (it has no seq).
 */
export interface RawPositions {
  readonly stdout: number;
  readonly stderr: number;
}

export const formatPositions = (positions: RawPositions): string => `# raw ${positions.stdout} ${positions.stderr}\n`;

export function parsePositions(raw: string): RawPositions | undefined {
  const match = /^# raw (\d+) (\d+)$/.exec(raw);
  return match ? { stdout: Number(match[1]), stderr: Number(match[2]) } : undefined;
}
