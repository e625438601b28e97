/**
 * Which log lines a reader keeps: by stream, by time window and by a pattern in their text — what
 * `services logs --stream/--since/--until/--grep` ask for. Pure, so any face filters the same way.
 */
// Not service-state.ts: the CLI reads this file at start (LOG_STREAMS), and that one loads zod.
import { isServiceState, meaningOf } from './state-meaning';

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

/**
 * A lifecycle line announcing a state that is not doing its job (failed, crash-loop, unhealthy,
 * conflict: tone `bad`). The supervisor writes transitions as `<state>: <reason>`; other lifecycle
 * lines (`started …`, notes) are not transitions and never count.
 */
export function isLifecycleFailure(line: Pick<FilterableLine, 'stream' | 'text'>): boolean {
  if (line.stream !== 'evt') return false;
  const colon = line.text.indexOf(':');
  const state = line.text.slice(0, colon);
  return colon > 0 && isServiceState(state) && meaningOf(state).tone === 'bad';
}
