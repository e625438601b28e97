/**
 * The engine's events timeline: every change of a service's state, with its time, reason and the
 * lifecycle log line it wrote — what the UI's Events view, problems bar and crash badges read. It
 * lives in the owner, so it outlasts any face; the newest CAPACITY entries are also kept in
 * `<home>/services/events.jsonl`, so it outlasts the owner too. The file is appended to only when
 * something happened (batched, a few times a second at most) and rewritten with the ring once it
 * holds twice as many lines: an idle owner never writes, and the file stays bounded. A line that
 * does not parse (a torn append, an edit by hand) is skipped, never thrown on.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { timelineEventSchema, type ServiceState, type ServiceStatus, type TimelineEvent } from '@shared/contract/service-state';
import type { WatchTrigger } from '@shared/contract/watch';
import { readSmallFile } from '../read-small-file';
import { writeFileAtomic } from '../state/atomic-write';

/** Entries kept in memory and on disk: hours of a busy platform, a few hundred kB of JSON. */
export const TIMELINE_CAPACITY = 2_000;
/** A reason longer than this is cut (a status reason quoting a long line must not grow the file). */
const MAX_REASON = 500;
/** Twice the capacity of entries at their largest, with room: a file over it is not ours to read. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const FLUSH_EVERY_MS = 250;

export interface TimelineQuery {
  readonly service?: string;
  /** Only entries after this seq. */
  readonly sinceSeq?: number;
  /** At most this many, the newest. */
  readonly limit: number;
}

export class EventTimeline {
  readonly #ring: TimelineEvent[];
  /** The state each service was last seen in: an event repeating it is no transition. */
  readonly #last = new Map<string, ServiceState>();
  #seq: number;
  #pending: string[] = [];
  #linesOnDisk: number;
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    private readonly file: string | undefined,
    kept: TimelineEvent[],
    private readonly warn: (message: string) => void,
  ) {
    this.#ring = kept.slice(-TIMELINE_CAPACITY);
    this.#linesOnDisk = kept.length;
    this.#seq = kept.at(-1)?.seq ?? 0;
    for (const event of this.#ring) this.#last.set(event.service, event.to);
  }

  /** The timeline kept in `stateRoot` (none there, or unreadable: an empty one); without a root, in memory only. */
  static open(stateRoot: string | undefined, warn: (message: string) => void): EventTimeline {
    const file = stateRoot === undefined ? undefined : join(stateRoot, 'events.jsonl');
    return new EventTimeline(file, file ? readKept(file) : [], warn);
  }

  /** Records the status when it is a change of state; the entry made, if any. */
  record(status: ServiceStatus, logSeq: number | undefined): TimelineEvent | undefined {
    const from = this.#last.get(status.name);
    if (from === status.state) return undefined;
    this.#last.set(status.name, status.state);
    const event: TimelineEvent = {
      seq: ++this.#seq,
      at: status.since,
      service: status.name,
      ...(from ? { from } : {}),
      to: status.state,
      reason: cut(status.reason),
      ...(status.nextRetryAt !== undefined ? { retryAt: status.nextRetryAt } : {}),
      ...(logSeq !== undefined && logSeq > 0 ? { logSeq } : {}),
    };
    return this.#add(event);
  }

  /** Records a watch trigger of a service (watch-controller.ts), as its log line says it: an entry of its own, its state unchanged. */
  note(status: ServiceStatus, watch: WatchTrigger, reason: string, logSeq: number | undefined): TimelineEvent {
    const event: TimelineEvent = {
      seq: ++this.#seq,
      at: watch.at,
      service: status.name,
      from: status.state,
      to: status.state,
      reason: cut(reason),
      watch,
      ...(logSeq !== undefined && logSeq > 0 ? { logSeq } : {}),
    };
    return this.#add(event);
  }

  /** Records a terminal session's opening or end (service-terminals.ts): an entry of its own, its state unchanged. */
  terminalNote(status: ServiceStatus, terminal: NonNullable<TimelineEvent['terminal']>, reason: string, at: number, logSeq: number | undefined): TimelineEvent {
    const event: TimelineEvent = {
      seq: ++this.#seq,
      at,
      service: status.name,
      from: status.state,
      to: status.state,
      reason: cut(reason),
      terminal,
      ...(logSeq !== undefined && logSeq > 0 ? { logSeq } : {}),
    };
    return this.#add(event);
  }

  /** Matching entries, oldest first: the newest `limit` of them. */
  query({ service, sinceSeq = 0, limit }: TimelineQuery): TimelineEvent[] {
    const found: TimelineEvent[] = [];
    for (let i = this.#ring.length - 1; i >= 0 && found.length < limit; i--) {
      const event = this.#ring[i]!;
      if (event.seq <= sinceSeq) break;
      if (service === undefined || event.service === service) found.push(event);
    }
    return found.reverse();
  }

  /** Writes what waits to be written now. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#flush();
  }

  /** Writes what waits; later entries (a late event of a closing engine) stay in memory. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #add(event: TimelineEvent): TimelineEvent {
    this.#ring.push(event);
    if (this.#ring.length > TIMELINE_CAPACITY) this.#ring.shift();
    this.#persist(event);
    return event;
  }

  #persist(event: TimelineEvent): void {
    if (!this.file || this.#closed) return;
    this.#pending.push(JSON.stringify(event));
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, FLUSH_EVERY_MS);
  }

  /** One write at a time, in order: an append of the batch, or the whole ring once the file has grown to twice it. */
  #flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const batch = this.#pending.splice(0);
      if (!this.file || batch.length === 0) return;
      try {
        if (this.#linesOnDisk + batch.length > 2 * TIMELINE_CAPACITY) {
          await writeFileAtomic(this.file, this.#ring.map((event) => `${JSON.stringify(event)}\n`).join(''));
          this.#linesOnDisk = this.#ring.length;
        } else {
          await appendFile(this.file, batch.map((line) => `${line}\n`).join(''), { mode: 0o600 });
          this.#linesOnDisk += batch.length;
        }
      } catch (error) {
        this.warn(`could not keep the events timeline in ${this.file}: ${(error as Error).message}`);
      }
    });
    return this.#flushing;
  }
}

const cut = (reason: string): string => (reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason);

/** The entries of the file, in order, each line checked; nothing for a missing, oversized or foreign file. */
function readKept(file: string): TimelineEvent[] {
  const text = readSmallFile(file, MAX_FILE_BYTES, { noFollow: true });
  if (text === undefined) return [];
  const kept: TimelineEvent[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const parsed = timelineEventSchema.safeParse(JSON.parse(line));
      // Numbered in order: a line out of order (a file from elsewhere) would break `sinceSeq`.
      if (parsed.success && parsed.data.seq > (kept.at(-1)?.seq ?? 0)) kept.push(parsed.data);
    } catch {
      // A torn last line (the owner died mid-append): the lines before it stand.
    }
  }
  return kept;
}
