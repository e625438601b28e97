/**
 * Problems that did not stop the engine (a record set aside, a log write error): each said once, to
 * the owner's log as it happens and to every face that asks (`services status`), the latest kept.
 * One list outlives the engines a reloadable engine rebuilds, so an update does not forget them.
 */

/** Enough to explain a home's trouble; a flood of distinct problems keeps only the newest. */
const KEPT = 50;

export class EngineWarnings {
  readonly #list: string[] = [];

  constructor(private readonly told?: (message: string) => void) {}

  add(message: string): void {
    if (this.#list.includes(message)) return;
    this.#list.push(message);
    if (this.#list.length > KEPT) this.#list.shift();
    this.told?.(message);
  }

  /** Oldest first; the same array as the list grows. */
  get list(): readonly string[] {
    return this.#list;
  }
}
