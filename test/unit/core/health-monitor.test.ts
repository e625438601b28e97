import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '@shared/contract/health';
import type { HealthCheck } from '@shared/model';
import { HealthMonitor } from '../../../src-main/core/health/health-monitor';
import { FakeClock } from '../../support/fake-clock';

const check = (extra: Partial<HealthCheck> = {}): HealthCheck => ({
  type: 'tcp',
  interval: 1_000,
  timeout: 500,
  retries: 3,
  grace_period: 0,
  on_unhealthy: 'ignore',
  tcp: { host: '127.0.0.1', port: 1 },
  ...extra,
});
const result = (ok: boolean, at: number): ProbeResult => ({ ok, latencyMs: 1, message: ok ? 'ok' : 'refused', at });

describe('HealthMonitor', () => {
  it('checks every service on its interval from one timer, without drift', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const monitor = new HealthMonitor(async (c) => (calls.push(`${c.interval}@${clock.now()}`), result(true, clock.now())), clock);
    monitor.watch({ name: 'a', check: check(), healthy: true, startedAt: 0, onResult: () => undefined });
    monitor.watch({ name: 'b', check: check({ interval: 1_500 }), healthy: true, startedAt: 0, onResult: () => undefined });
    await clock.advance(4_600);
    expect(calls).toEqual(['1000@1000', '1500@1500', '1000@2000', '1000@3000', '1500@3000', '1000@4000', '1500@4500']);
  });

  it('runs at most `concurrency` probes at once', async () => {
    const clock = new FakeClock();
    let active = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const monitor = new HealthMonitor(
      async () => {
        peak = Math.max(peak, ++active);
        await new Promise<void>((resolve) => release.push(resolve));
        active--;
        return result(true, clock.now());
      },
      clock,
      2,
    );
    for (const name of ['a', 'b', 'c', 'd', 'e']) monitor.watch({ name, check: check(), healthy: true, startedAt: 0, onResult: () => undefined });
    await clock.advance(1_000);
    expect(peak).toBe(2);
    while (release.length) {
      release.shift()!();
      await clock.advance(0);
    }
    expect(peak).toBe(2);
  });

  it('turns unhealthy after `retries` failures in a row, ignores failures in the grace period, recovers on a success', async () => {
    const clock = new FakeClock();
    const outcomes = [false, false, false, false, true, false];
    const verdicts: boolean[] = [];
    const monitor = new HealthMonitor(async () => result(outcomes.shift() ?? true, clock.now()), clock);
    monitor.watch({ name: 'a', check: check({ grace_period: 1_500 }), healthy: true, startedAt: 0, onResult: (_, healthy) => verdicts.push(healthy) });
    await clock.advance(6_000);
    // 1s: in grace; 2s, 3s: failures 1–2; 4s: third failure → unhealthy; 5s: recovered; 6s: one failure is not enough.
    expect(verdicts).toEqual([true, true, true, false, true, true]);
  });

  it('stops checking what it no longer watches', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const monitor = new HealthMonitor(async () => (calls++, result(true, clock.now())), clock);
    monitor.watch({ name: 'a', check: check(), healthy: true, startedAt: 0, onResult: () => undefined });
    await clock.advance(2_000);
    monitor.unwatch('a');
    await clock.advance(5_000);
    expect(calls).toBe(2);
  });
});
