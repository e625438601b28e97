/** A clock tests move by hand: timers fire in order as time is advanced. */
import type { Clock } from '../../src-main/core/supervisor/clock';

export class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; run: () => void; id: number }[] = [];
  #nextId = 1;

  now(): number {
    return this.#now;
  }

  setTimeout(run: () => void, ms: number): { unref(): unknown; id: number } {
    const timer = { at: this.#now + ms, run, id: this.#nextId++ };
    this.#timers.push(timer);
    return { id: timer.id, unref: () => undefined };
  }

  clearTimeout(timer: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== (timer as { id: number }).id);
  }

  /** Moves time forward, firing due timers (and letting promises settle) along the way. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await flush();
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      next.run();
    }
    this.#now = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
