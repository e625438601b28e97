/**
 * One view's subscription to logs, without a DOM: the tail of each service (merged by time when
 * there are several), then a follow from the last seq seen, made again after a reconnect; lines
 * at or below the last seq are dropped, so a re-follow never shows a line twice.
 */
import type { ContractLogLine, LogMessage } from '@shared/contract/logs';
import type { Params, Result } from '@shared/contract/methods';

type LogMethod = 'logTail' | 'logFollow' | 'logUnfollow';

/** What a follow needs of the ContractClient, stated here so that this file needs no DOM types. */
export interface LogClient {
  call<M extends LogMethod>(method: M, params: Params<M>): Promise<Result<M>>;
  onLog(listener: (logs: LogMessage['logs']) => void): () => void;
  onReconnect(listener: () => void): () => void;
}

/** Lines of history per service when a view opens. */
export const TAIL_LINES = 500;
/**
 * What the view asks the engine to send at most, in all: a little under what the terminal writes
 * a second (log-batcher's FRAME_BUDGET × 60 ≈ 14,000 lines of 140 characters), so a flood is cut at
 * the source, with gap markers for the rest, and what arrives is what is written. Shared among the
 * services of a merged view (`npm run bench:ui`: four floods at 20,000 each brought four times what
 * the terminal can write, 40 fps; 20,000 in all still 47–57 fps; 12,000 in all 56–59 fps).
 */
export const MAX_LINES_PER_SECOND = 12_000;
/** The engine's floor for a follow's rate (logFollow's schema). */
const MIN_LINES_PER_SECOND = 60;

/** Each service's share of the rate when `count` are followed at once. */
export const linesPerSecondEach = (count: number): number => Math.max(MIN_LINES_PER_SECOND, Math.floor(MAX_LINES_PER_SECOND / Math.max(1, count)));

export interface LogSink {
  line(service: string, line: ContractLogLine): void;
  /** Seqs `from`..`to` (inclusive) that the engine did not send. */
  gap(service: string, from: number, to: number): void;
  /** A problem worth showing inline (a tail or follow that failed). */
  note(text: string): void;
  /** The first tails are all in (read or failed): what was held when the view opened is there. */
  loaded?(): void;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts at once; the returned function unfollows and stops delivering. */
export function followLogs(client: LogClient, services: readonly string[], sink: LogSink, tailLines = TAIL_LINES): () => void {
  const lastSeq = new Map<string, number>(); // services whose tail arrived
  const following = new Set<string>();
  const loading = new Set<string>();
  let stopped = false;
  const maxLinesPerSecond = linesPerSecondEach(services.length);

  const follow = (name: string) => {
    const afterSeq = lastSeq.get(name);
    if (stopped || afterSeq === undefined) return;
    following.add(name);
    client.call('logFollow', { name, afterSeq, maxLinesPerSecond }).catch((error: unknown) => {
      if (!stopped) sink.note(`could not follow ${name}: ${reason(error)}`);
    });
  };

  const load = async (names: readonly string[]) => {
    names.forEach((name) => loading.add(name));
    const tails = await Promise.all(
      names.map(async (name) => {
        try {
          return { name, lines: await client.call('logTail', { name, lines: tailLines }) };
        } catch (error) {
          if (!stopped) sink.note(`could not read the log of ${name}: ${reason(error)}`);
          return { name, lines: undefined };
        } finally {
          loading.delete(name);
        }
      }),
    );
    if (stopped) return;
    // Merged by time; the sort is stable, so each service keeps its own order among equal times.
    const merged = tails.flatMap(({ name, lines }) => (lines ?? []).map((line) => ({ name, line })));
    if (names.length > 1) merged.sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : 0));
    merged.forEach(({ name, line }) => sink.line(name, line));
    for (const { name, lines } of tails) {
      if (!lines) continue; // without its last seq, a follow would replay the whole file: retried on reconnect
      lastSeq.set(name, lines.at(-1)?.seq ?? 0);
      follow(name);
    }
  };

  const offLogs = client.onLog(({ service, lines, gap }) => {
    if (stopped) return;
    if (!following.has(service)) return;
    let last = lastSeq.get(service) ?? 0;
    if (gap && gap.to > last) {
      sink.gap(service, Math.max(gap.from, last + 1), gap.to);
      last = gap.to;
    }
    for (const line of lines ?? []) {
      if (line.seq <= last) continue;
      sink.line(service, line);
      last = line.seq;
    }
    lastSeq.set(service, last);
  });

  const offReconnect = client.onReconnect(() => {
    if (stopped) return;
    [...lastSeq.keys()].forEach(follow);
    const missing = services.filter((name) => !lastSeq.has(name) && !loading.has(name));
    if (missing.length > 0) void load(missing);
  });

  void load(services).then(() => stopped || sink.loaded?.());

  return () => {
    stopped = true;
    offLogs();
    offReconnect();
    for (const name of following) client.call('logUnfollow', { name }).catch(() => undefined); // the connection may be gone: nothing to undo then
  };
}

/** Lines per service that one "load older lines" asks for. */
export const OLDER_LINES = 500;

/**
 * The lines before the oldest held of each service (`before`: service → its oldest seq held; a
 * service with nothing held is left out), merged by time as a tail is. A service whose older lines
 * could not be read is a note; the others still come.
 */
export async function loadOlder(
  client: Pick<LogClient, 'call'>,
  before: ReadonlyMap<string, number>,
  lines = OLDER_LINES,
): Promise<{ lines: { name: string; line: ContractLogLine }[]; notes: string[] }> {
  const notes: string[] = [];
  const pages = await Promise.all(
    [...before].map(async ([name, seq]) => {
      try {
        return (await client.call('logTail', { name, lines, before: seq })).map((line) => ({ name, line }));
      } catch (error) {
        notes.push(`could not read older lines of ${name}: ${reason(error)}`);
        return [];
      }
    }),
  );
  const merged = pages.flat();
  if (before.size > 1) merged.sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : 0));
  return { lines: merged, notes };
}
