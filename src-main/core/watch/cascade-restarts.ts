/**
 * The restarts a watch cascade makes of a service's dependents, as the engine runs them: a stop a
 * person asks for while one is under way wins (the cascade does not start that service again, at
 * its turn or later), and a cascade launches nothing more once the engine closes.
 */
import type { RestartReport } from '@shared/contract/platform';
import type { OperationOptions } from '../platform/platform-operations';

type Restart = (names: readonly string[], options: OperationOptions) => Promise<RestartReport>;

export class CascadeRestarts {
  readonly #closing = new AbortController();
  /** Stops asked for by a person, counted; the count at each service's last one. */
  #stops = 0;
  readonly #stoppedAt = new Map<string, number>();

  constructor(private readonly restart: Restart) {}

  /** A person asked for these to stop (one service, or a platform stop's plan). */
  stopped(names: readonly string[]): void {
    this.#stops++;
    for (const name of names) this.#stoppedAt.set(name, this.#stops);
  }

  /** Restarts `names` (and what needs them); the services it started again. */
  async run(names: readonly string[]): Promise<string[]> {
    const since = this.#stops;
    const { start } = await this.restart(names, {
      signal: this.#closing.signal,
      withdrawn: (name) => ((this.#stoppedAt.get(name) ?? 0) > since ? 'stopped by user while the cascade restarted it' : undefined),
    });
    return start.steps.filter((step) => step.outcome === 'done').map((step) => step.name);
  }

  close(): void {
    this.#closing.abort();
  }
}
