/**
 * Moves every service's raw output into its log when it grows, told by the kernel rather than by
 * polling: one watch on the logs folder (inotify, FSEvents) names the raw file written, and that
 * service alone is drained, at most once every `everyMs` however often it writes. Quiet services
 * cost nothing. A watch can miss what it was never told (an event queue that overflowed, a network
 * file system) or fail (no inotify watches left): a slow sweep drains every service with a live
 * process (or lifecycle events held back by a full disk) all the same, and at `everyMs` while no
 * watch works. A service leaving the registry has its last output taken in before its pipeline is
 * let go.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { LogWriter } from './log-writer';
import type { RawLogIngestor } from './raw-log-ingestor';

export interface LogPipeline {
  readonly writer: LogWriter;
  readonly ingestor: RawLogIngestor;
  /** A process runs (or a restart is due): new output may come. */
  live(): boolean;
}

interface Entry extends LogPipeline {
  /** Its raw files changed (or may have) since its last drain. */
  due: boolean;
}

/** How often every live service is drained whatever the watch said (a stat of each raw file when nothing changed). */
export const SWEEP_MS = 2_000;
/** The raw files' suffixes (log-files.ts): an event for anything else in the folder (the logs themselves) is not ours. */
const RAW_SUFFIXES = ['.stdout', '.stderr'];

export class LogIngest {
  readonly #pipelines = new Map<string, Entry>();
  #watcher: FSWatcher | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #lastDrain = -Infinity;
  /** A drain under way: what becomes due meanwhile waits for it (one drain at a time, never a queue of them). */
  #draining = false;
  #ingesting: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    /** Where the raw files are (watched); undefined: swept at `everyMs`. */
    private readonly logsDir: string | undefined,
    private readonly everyMs: number,
  ) {
    this.#watch();
    this.#armSweep();
  }

  add(name: string, pipeline: LogPipeline): void {
    this.#pipelines.set(name, { ...pipeline, due: true });
    this.#soon();
  }

  /** Takes in what is left and closes the log of a service that is gone. */
  async remove(name: string): Promise<void> {
    const pipeline = this.#pipelines.get(name);
    if (!pipeline) return;
    this.#pipelines.delete(name);
    await pipeline.ingestor.drain();
    pipeline.ingestor.close();
    pipeline.writer.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#drainTimer);
    clearTimeout(this.#sweepTimer);
    this.#watcher?.close();
    await this.#ingesting;
    await Promise.all([...this.#pipelines.keys()].map((name) => this.remove(name)));
  }

  #watch(): void {
    if (this.logsDir === undefined || this.#watcher) return;
    try {
      this.#watcher = watch(this.logsDir, { persistent: false }, (_event, filename) => this.#changed(filename));
    } catch {
      return; // no folder yet, no watch left: the sweep drains, and tries again
    }
    this.#watcher.on('error', () => {
      this.#watcher?.close();
      this.#watcher = undefined;
      this.#armSweep();
    });
  }

  #changed(filename: string | Buffer | null): void {
    const name = typeof filename === 'string' ? filename : filename?.toString();
    if (name === undefined) {
      // Some platforms do not say which file: any may have grown.
      for (const entry of this.#pipelines.values()) entry.due = true;
      return this.#soon();
    }
    const suffix = RAW_SUFFIXES.find((end) => name.endsWith(end));
    const entry = suffix && this.#pipelines.get(name.slice(0, -suffix.length));
    if (!entry) return;
    entry.due = true;
    this.#soon();
  }

  /**
   * Drains what is due now (no timer: one wakeup, the kernel's), or `everyMs` after the last drain:
   * a chatty service costs at most that many drains.
   */
  #soon(): void {
    if (this.#closed || this.#drainTimer || this.#draining) return;
    const wait = this.#lastDrain + this.everyMs - performance.now();
    if (wait <= 0) return this.#drain();
    this.#drainTimer = setTimeout(() => this.#drain(), wait);
    this.#drainTimer.unref();
  }

  #drain(): void {
    this.#drainTimer = undefined;
    this.#draining = true;
    this.#lastDrain = performance.now();
    const due: Entry[] = [];
    for (const entry of this.#pipelines.values()) {
      if (!entry.due) continue;
      entry.due = false;
      due.push(entry);
    }
    // A drain reports its own problems; whatever it did, the next one must be able to come.
    const drained = Promise.all(due.map((entry) => entry.ingestor.drain())).catch(() => undefined);
    this.#ingesting = drained.then(() => {
      this.#draining = false;
      // Lifecycle events held by a full disk are tried again at the drain pace until they are written.
      for (const entry of due) if (entry.writer.holding) entry.due = true;
      for (const entry of this.#pipelines.values()) if (entry.due) return this.#soon();
    });
  }

  #armSweep(): void {
    clearTimeout(this.#sweepTimer);
    if (this.#closed) return;
    this.#sweepTimer = setTimeout(() => this.#sweep(), this.#watcher ? SWEEP_MS : this.everyMs);
    this.#sweepTimer.unref();
  }

  #sweep(): void {
    this.#watch();
    for (const entry of this.#pipelines.values()) if (entry.live() || entry.writer.holding) entry.due = true;
    this.#soon();
    this.#armSweep();
  }
}
