/**
 * SIGINT, SIGTERM and SIGHUP while `provisioning run` runs: the first one is remembered (the run
 * ends with 128 + its number, after cleaning up) and handed to what the run does at that moment —
 * cancel the start, forward it to the command. A second one means "leave now": the handlers go and
 * the signal is raised again, so the process ends as that signal ends it. The owner still stops what
 * the run started, as its connection closes.
 */
export const RUN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

export class RunSignals {
  #received: NodeJS.Signals | undefined;
  #handler: (signal: NodeJS.Signals) => void = () => {};
  readonly #listener = (signal: NodeJS.Signals) => {
    if (this.#received !== undefined) {
      this.dispose();
      process.kill(process.pid, signal);
      return;
    }
    this.#received = signal;
    this.#handler(signal);
  };

  constructor() {
    for (const signal of RUN_SIGNALS) process.on(signal, this.#listener);
  }

  /** The first signal received, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.#received;
  }

  /** What the run does with the first signal from now on (told at once of one already received). */
  onSignal(handler: (signal: NodeJS.Signals) => void): void {
    this.#handler = handler;
    if (this.#received !== undefined) handler(this.#received);
  }

  dispose(): void {
    for (const signal of RUN_SIGNALS) process.off(signal, this.#listener);
  }
}
