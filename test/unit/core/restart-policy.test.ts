import { describe, expect, it } from 'vitest';
import { MIN_CRASH_LOOP_DELAY_MS, MIN_RESTART_DELAY_MS, RestartTracker } from '../../../src-main/core/supervisor/restart-policy';

const startup = {
  timeout: 30_000,
  restart: 'on-failure' as const,
  stop_timeout: 10_000,
  restart_delay: 1_000,
  restart_delay_max: 30_000,
  start_limit: 5,
  start_limit_window: 60_000,
};
const crash = { code: 1, signal: null, reason: 'exited with code 1' };
const clean = { code: 0, signal: null, reason: 'exited with code 0' };

/** Runs `count` crashes of a service that lives `ranMs` each, `gapMs` apart; returns the decisions. */
function crashes(tracker: RestartTracker, count: number, ranMs: number, gapMs = 0) {
  let now = 0;
  return Array.from({ length: count }, () => {
    tracker.recordStart(now);
    now += ranMs;
    const decision = tracker.decide(crash, ranMs, now);
    now += decision.delayMs + gapMs;
    return decision;
  });
}

describe('RestartTracker', () => {
  it('doubles the delay after each failure in a row, with ±10% jitter', () => {
    const low = crashes(new RestartTracker(startup, () => 0), 4, 100_000).map((d) => d.delayMs);
    expect(low).toEqual([900, 900, 900, 900]); // each run was long enough to count as stable
    const quick = crashes(new RestartTracker({ ...startup, start_limit: 99 }, () => 0.5), 7, 10).map((d) => d.delayMs);
    expect(quick).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    const high = crashes(new RestartTracker({ ...startup, start_limit: 99 }, () => 1), 2, 10).map((d) => d.delayMs);
    expect(high).toEqual([1_100, 2_200]);
  });

  it('declares a crash loop at the start limit and waits the longest delay', () => {
    const decisions = crashes(new RestartTracker(startup, () => 0.5), 6, 10);
    expect(decisions.map((d) => d.crashLoop)).toEqual([false, false, false, false, true, true]);
    expect(decisions[4]!.delayMs).toBe(30_000);
  });

  it('follows the policy: no never restarts, on-failure skips clean exits, always restarts them', () => {
    expect(new RestartTracker({ ...startup, restart: 'no' }).decide(crash, 10, 10).restart).toBe(false);
    expect(new RestartTracker(startup).decide(clean, 10, 10).restart).toBe(false);
    expect(new RestartTracker(startup).decide({ code: null, signal: 'SIGKILL', reason: '' }, 10, 10).restart).toBe(true);
    expect(new RestartTracker({ ...startup, restart: 'always' }).decide(clean, 10, 10).restart).toBe(true);
  });

  it('starts over after a reset (a user start or stop)', () => {
    const tracker = new RestartTracker(startup, () => 0.5);
    crashes(tracker, 5, 10);
    tracker.reset();
    tracker.recordStart(1_000_000);
    expect(tracker.decide(crash, 10, 1_000_010)).toEqual({ restart: true, delayMs: 1_000, crashLoop: false });
  });

  describe('a floor under every wait, whatever the registry says', () => {
    const instant = { ...startup, restart: 'always' as const, restart_delay: 1, restart_delay_max: 1 };

    /** A fake clock's minute of a service that dies the moment it starts: how many starts, and each wait. */
    function minuteOfCrashes(tracker: RestartTracker): { starts: number; waits: number[] } {
      const waits: number[] = [];
      for (let now = 0; now < 60_000 && waits.length < 2_000; ) {
        tracker.recordStart(now);
        const { delayMs } = tracker.decide(crash, 0, now);
        waits.push(delayMs);
        now += delayMs;
      }
      return { starts: waits.length, waits };
    }

    it('waits at least 100ms, and 1s in crash-loop, for a 1ms backoff', () => {
      const { starts, waits } = minuteOfCrashes(new RestartTracker(instant, () => 0));
      expect(waits.slice(0, 5)).toEqual([MIN_RESTART_DELAY_MS, MIN_RESTART_DELAY_MS, MIN_RESTART_DELAY_MS, MIN_RESTART_DELAY_MS, MIN_CRASH_LOOP_DELAY_MS]);
      expect(Math.min(...waits.slice(4))).toBe(MIN_CRASH_LOOP_DELAY_MS);
      // 4 quick tries, then about one a second: not one a millisecond (the loop stops counting at 2,000).
      expect(starts).toBeLessThanOrEqual(4 + 60);
    });

    it('keeps the floor when the start limit can never be reached', () => {
      const { starts, waits } = minuteOfCrashes(new RestartTracker({ ...instant, start_limit_window: 1 }, () => 0));
      expect(Math.min(...waits)).toBe(MIN_RESTART_DELAY_MS);
      expect(starts).toBeLessThanOrEqual(60_000 / MIN_RESTART_DELAY_MS);
    });

    it('still doubles from the floor up to a longer cap', () => {
      const doubling = crashes(new RestartTracker({ ...startup, restart_delay: 1, restart_delay_max: 1_000, start_limit: 99 }, () => 0.5), 6, 10).map(
        (d) => d.delayMs,
      );
      expect(doubling).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    });
  });
});
