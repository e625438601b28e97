/**
 * What the log view holds and which of it shows, without a DOM: the last lines of the services
 * shown (bounded), the query that picks the shown ones (text or pattern, case, streams, services),
 * and the counts of both, kept as lines come and go, so "n of m" costs nothing per line. xterm can
 * neither hide nor insert lines: when the query changes or older lines arrive, the terminal is
 * rewritten from here.
 */
import { LOG_STREAMS, type LogStreamName } from '@shared/contract/log-filter';
import type { ContractLogLine } from '@shared/contract/logs';

/** Lines held at most: the terminal's scrollback, and logTail's largest page. */
export const MAX_HELD = 10_000;
/** Longest query: a pattern is the person's own, but a pasted page is not a filter. */
export const MAX_QUERY = 500;

export type HeldEntry =
  | { readonly kind: 'line'; readonly service: string; readonly line: ContractLogLine }
  | { readonly kind: 'gap'; readonly service: string; readonly from: number; readonly to: number }
  | { readonly kind: 'note'; readonly text: string };

export interface LogQuery {
  readonly text: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  /** Streams shown; lifecycle is `evt`. */
  readonly streams: ReadonlySet<LogStreamName>;
  /** Services left out of the merged view. */
  readonly hiddenServices: ReadonlySet<string>;
}

export const EVERYTHING: LogQuery = { text: '', regex: false, caseSensitive: false, streams: new Set(LOG_STREAMS), hiddenServices: new Set() };

export interface CompiledQuery {
  readonly query: LogQuery;
  /** The text as a pattern (undefined: no text to match). */
  readonly pattern: RegExp | undefined;
  /** Whether the query hides anything at all. */
  readonly filtering: boolean;
  keeps(entry: HeldEntry): boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The query as a test of entries; an invalid pattern is an Error saying what is wrong. */
export function compileQuery(query: LogQuery): CompiledQuery | Error {
  let pattern: RegExp | undefined;
  if (query.text.length > MAX_QUERY) return new Error(`a filter is at most ${MAX_QUERY} characters`);
  if (query.text !== '') {
    try {
      // No `g` flag: test() then keeps no state between lines.
      pattern = new RegExp(query.regex ? query.text : escapeRegExp(query.text), query.caseSensitive ? '' : 'i');
    } catch (error) {
      return new Error(`not a valid pattern: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const allStreams = LOG_STREAMS.every((stream) => query.streams.has(stream));
  const filtering = pattern !== undefined || !allStreams || query.hiddenServices.size > 0;
  const keeps = (entry: HeldEntry): boolean => {
    if (entry.kind === 'note') return true; // the view's own problems always show
    if (query.hiddenServices.has(entry.service)) return false;
    if (entry.kind === 'gap') return true;
    if (!query.streams.has(entry.line.stream)) return false;
    return pattern === undefined || pattern.test(entry.line.text);
  };
  return { query, pattern, filtering, keeps };
}

const everything = compileQuery(EVERYTHING) as CompiledQuery;

export class LogStore {
  // A ring with a moving head, as the batcher's queue: a flood evicts one line per line it adds.
  private entries: HeldEntry[] = [];
  private shown: boolean[] = [];
  private head = 0;
  private lines = 0;
  private matching = 0;
  private compiled: CompiledQuery = everything;

  constructor(private readonly max = MAX_HELD) {}

  get query(): CompiledQuery {
    return this.compiled;
  }

  /** Log lines held (gaps and notes not counted). */
  get total(): number {
    return this.lines;
  }

  /** Log lines held that the query keeps. */
  get matched(): number {
    return this.matching;
  }

  /** No room for older lines: loading more lets go of the newest ones (the view stops following then). */
  get full(): boolean {
    return this.lines >= this.max;
  }

  /** A new entry, newest; true when the query keeps it (the terminal should write it). */
  add(entry: HeldEntry): boolean {
    const keep = this.compiled.keeps(entry);
    this.entries.push(entry);
    this.shown.push(keep);
    if (entry.kind === 'line') {
      this.lines++;
      if (keep) this.matching++;
    }
    while (this.lines > this.max) this.evict();
    this.compact();
    return keep;
  }

  /**
   * Older entries, oldest first, before everything held, as a terminal's scrollback: the newest `max`
   * of them, and where there is no room for them, the newest entries held are let go (`dropped`
   * lines), so what is held stays one unbroken stretch of the log. Returns how many lines were taken.
   */
  prepend(older: readonly HeldEntry[]): { taken: number; dropped: number } {
    const lines = older.filter((entry) => entry.kind === 'line');
    const taken = lines.slice(Math.max(0, lines.length - this.max));
    let dropped = 0;
    while (this.lines + taken.length > this.max) {
      const entry = this.entries.pop()!;
      const shown = this.shown.pop()!;
      if (entry.kind !== 'line') continue;
      this.lines--;
      dropped++;
      if (shown) this.matching--;
    }
    const kept = taken.map((entry) => this.compiled.keeps(entry));
    this.entries = [...taken, ...this.entries.slice(this.head)];
    this.shown = [...kept, ...this.shown.slice(this.head)];
    this.head = 0;
    this.lines += taken.length;
    this.matching += kept.filter(Boolean).length;
    return { taken: taken.length, dropped };
  }

  /** Another query: every held entry is judged again. */
  setQuery(compiled: CompiledQuery): void {
    this.compiled = compiled;
    this.matching = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      const keep = compiled.keeps(entry);
      this.shown[i] = keep;
      if (keep && entry.kind === 'line') this.matching++;
    }
  }

  /** The entries the query keeps, oldest first. */
  *kept(): Generator<HeldEntry> {
    for (let i = this.head; i < this.entries.length; i++) if (this.shown[i]) yield this.entries[i]!;
  }

  /** The oldest seq held of a service (undefined: none of its lines held). */
  oldestSeq(service: string): number | undefined {
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.kind === 'line' && entry.service === service) return entry.line.seq;
    }
    return undefined;
  }

  /** Where the service's line `seq` is among the entries the query keeps (-1: not held, or hidden by the query). */
  keptIndexOf(service: string, seq: number): number {
    let index = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      if (!this.shown[i]) continue;
      const entry = this.entries[i]!;
      if (entry.kind === 'line' && entry.service === service && entry.line.seq === seq) return index;
      index++;
    }
    return -1;
  }

  /** Whether the service's line `seq` is held at all (shown or not). */
  holds(service: string, seq: number): boolean {
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.kind === 'line' && entry.service === service && entry.line.seq === seq) return true;
    }
    return false;
  }

  clear(): void {
    this.entries = [];
    this.shown = [];
    this.head = this.lines = this.matching = 0;
  }

  private evict(): void {
    const entry = this.entries[this.head]!;
    if (entry.kind === 'line') {
      this.lines--;
      if (this.shown[this.head]) this.matching--;
    }
    this.head++;
  }

  /** Forgets evicted entries once they are most of the array (amortised O(1) per line). */
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.entries.length) return;
    this.entries = this.entries.slice(this.head);
    this.shown = this.shown.slice(this.head);
    this.head = 0;
  }
}
