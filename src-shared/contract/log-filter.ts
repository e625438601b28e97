/**
 * Which log lines a reader keeps: by stream, by time window and by a pattern in their text — what
 * `services logs --stream/--since/--until/--grep` ask for. Pure, so any face filters the same way.
 */

export const LOG_STREAMS = ['out', 'err', 'evt'] as const;
export type LogStreamName = (typeof LOG_STREAMS)[number];

export interface LogFilter {
  /** Only these streams (all when absent). */
  readonly streams?: ReadonlySet<LogStreamName>;
  /** ISO times, both inclusive; lines carry ISO times of the same form, so they compare as text. */
  readonly since?: string;
  readonly until?: string;
  /** Tested against the line's text (not its time or stream); without the `g` flag, so it keeps no state between lines. */
  readonly grep?: RegExp;
}

export interface FilterableLine {
  readonly time: string;
  readonly stream: LogStreamName;
  readonly text: string;
}

export function keepsLine(filter: LogFilter, line: FilterableLine): boolean {
  if (filter.streams && !filter.streams.has(line.stream)) return false;
  if (filter.since !== undefined && line.time < filter.since) return false;
  if (filter.until !== undefined && line.time > filter.until) return false;
  return filter.grep === undefined || filter.grep.test(line.text);
}
