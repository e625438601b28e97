/**
 * How many folders one engine watches at most, across all its services. Each is one inotify watch
 * (the kernel's `max_user_watches` is per user, often 8192 on older systems), so a pattern that
 * reaches into a huge tree must stop somewhere and say so, not exhaust the user's watches.
 */
export const DEFAULT_WATCH_LIMIT = 8_192;

export class WatchBudget {
  #used = 0;

  constructor(readonly limit = DEFAULT_WATCH_LIMIT) {}

  get used(): number {
    return this.#used;
  }

  /** One more folder, if the limit allows. */
  take(): boolean {
    if (this.#used >= this.limit) return false;
    this.#used++;
    return true;
  }

  give(): void {
    if (this.#used > 0) this.#used--;
  }
}
