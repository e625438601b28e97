/**
 * Problems that did not stop the engine (a record set aside, a log write error): each said once, to
 * the owner's log as it happens, and shown to every face that asks (`services status`) for an hour
 * after it last happened — a problem long past does not follow the user forever; the log keeps it.
 */

/** Enough to explain a home's trouble; a flood of distinct problems keeps only the newest. */
const KEPT = 50;

/** How long a warning is shown after it last happened. */
export const WARNING_SHOWN_MS = 3_600_000;

export class EngineWarnings {
  /** Message → when it last happened, oldest first. */
  readonly #last = new Map<string, number>();

  constructor(
    private readonly told?: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  add(message: string): void {
    const known = this.#last.has(message);
    // Happening again makes it current again: it moves to the end, and is not told twice.
    this.#last.delete(message);
    this.#last.set(message, this.now());
    if (this.#last.size > KEPT) this.#last.delete(this.#last.keys().next().value!);
    if (!known) this.told?.(message);
  }

  /** Those of the last hour, oldest first. */
  get list(): readonly string[] {
    const since = this.now() - WARNING_SHOWN_MS;
    for (const [message, at] of this.#last) if (at < since) this.#last.delete(message);
    return [...this.#last.keys()];
  }
}
