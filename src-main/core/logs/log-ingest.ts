/**
 * Moves every service's raw output into its log on one interval: only services with a live process
 * (or lifecycle events held back by a full disk) are read. A service leaving the registry has its
 * last output taken in before its pipeline is let go.
 */
import type { LogWriter } from './log-writer';
import type { RawLogIngestor } from './raw-log-ingestor';

export interface LogPipeline {
  readonly writer: LogWriter;
  readonly ingestor: RawLogIngestor;
  /** A process runs (or a restart is due): new output may come. */
  live(): boolean;
}

export class LogIngest {
  readonly #pipelines = new Map<string, LogPipeline>();
  readonly #timer: NodeJS.Timeout;
  #ingesting: Promise<unknown> = Promise.resolve();

  constructor(everyMs: number) {
    this.#timer = setInterval(() => {
      const live = [...this.#pipelines.values()].filter((p) => p.live() || p.writer.holding);
      this.#ingesting = this.#ingesting.then(() => Promise.all(live.map((p) => p.ingestor.drain())));
    }, everyMs);
    this.#timer.unref();
  }

  add(name: string, pipeline: LogPipeline): void {
    this.#pipelines.set(name, pipeline);
  }

  /** Takes in what is left and closes the log of a service that is gone. */
  async remove(name: string): Promise<void> {
    const pipeline = this.#pipelines.get(name);
    if (!pipeline) return;
    this.#pipelines.delete(name);
    await pipeline.ingestor.drain();
    pipeline.writer.close();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ingesting;
    await Promise.all([...this.#pipelines.keys()].map((name) => this.remove(name)));
  }
}
