/** Time, injected: tests of schedules and backoff run on a clock they control. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): { unref(): unknown };
  clearTimeout(timer: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
