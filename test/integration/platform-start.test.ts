/**
 * `platform start` over real processes: each service launched the moment its dependencies are
 * healthy, failures blocking only what needs them, cancel leaving a consistent state.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformReport, Step } from '@shared/contract/platform';
import { delayedRegistry } from '../support/delayed-services';
import { harnesses } from '../support/engine-harness';

const { open } = harnesses();
const steps = (report: PlatformReport): Record<string, Step> => Object.fromEntries(report.steps.map((s) => [s.name, s]));

describe('platform start', () => {
  it('starts a diamond: both middles together once the root is healthy, the top after the slower one', async () => {
    const { text } = delayedRegistry({ a: { delay: 200 }, b: { delay: 400, deps: ['a'] }, c: { delay: 50, deps: ['a'] }, d: { delay: 50, deps: ['b', 'c'] } });
    const h = await open(text);
    const report = await h.engine.platformStart(['d']);
    const s = steps(report);
    expect(report.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(s['b']!.began).toBeGreaterThanOrEqual(s['a']!.ended!);
    expect(Math.abs(s['b']!.began! - s['c']!.began!)).toBeLessThan(50);
    expect(s['d']!.began).toBeGreaterThanOrEqual(s['b']!.ended!);
    expect(s['d']!.began! - s['b']!.ended!).toBeLessThan(50);
    expect(report.criticalPath).toEqual(['a', 'b', 'd']);
    expect(h.engine.status().every((status) => status.state === 'healthy')).toBe(true);
  });

  it('does not start in layers: a service goes as soon as its own dependencies are healthy', async () => {
    const { text } = delayedRegistry({ fast: { delay: 50 }, slow: { delay: 1200 }, x: { deps: ['fast'] }, y: { deps: ['slow'] }, z: { deps: ['x'] } });
    const h = await open(text);
    const s = steps(await h.engine.platformStart(['y', 'z']));
    expect(s['z']!.ended).toBeLessThan(s['slow']!.ended!);
    expect(s['y']!.began).toBeGreaterThanOrEqual(s['slow']!.ended!);
  });

  it('walks a deep chain one link at a time, and names the whole chain as the critical path', async () => {
    const names = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    const { text } = delayedRegistry(Object.fromEntries(names.map((name, i) => [name, { delay: 60, deps: i ? [names[i - 1]!] : [] }])));
    const h = await open(text);
    const report = await h.engine.platformStart(['c6']);
    const s = steps(report);
    for (let i = 1; i < names.length; i++) expect(s[names[i]!]!.began).toBeGreaterThanOrEqual(s[names[i - 1]!]!.ended!);
    expect(report.criticalPath).toEqual(names);
  });

  it('fans out: twelve services that need one root all start together', async () => {
    const leaves = Array.from({ length: 12 }, (_, i) => `leaf${i}`);
    const { text } = delayedRegistry({ root: { delay: 100 }, ...Object.fromEntries(leaves.map((name) => [name, { delay: 400, deps: ['root'] }])) });
    const h = await open(text);
    const report = await h.engine.platformStart(leaves);
    const s = steps(report);
    const began = leaves.map((name) => s[name]!.began!);
    expect(Math.max(...began) - Math.min(...began)).toBeLessThan(200);
    // One at a time this would take 12 × 400 ms.
    expect(report.ended - report.began).toBeLessThan(100 + 400 + 1500);
  });

  it('blocks what needs a failed service, with the cause, while independent branches go on', async () => {
    const { text } = delayedRegistry({
      root: {},
      mid: { delay: 100, deps: ['root'], fail: true },
      leaf1: { deps: ['mid'] },
      leaf2: { deps: ['leaf1'] },
      sibling: { delay: 300, deps: ['root'] },
    });
    const h = await open(text);
    const report = await h.engine.platformStart(['leaf2', 'sibling']);
    const s = steps(report);
    expect(s['mid']).toMatchObject({ outcome: 'failed', reason: 'exited with code 1 during startup' });
    expect(s['leaf1']).toMatchObject({ outcome: 'blocked', reason: 'waiting for mid: failed, exited with code 1 during startup' });
    expect(s['leaf2']).toMatchObject({ outcome: 'blocked', reason: 'waiting for leaf1: waiting for mid: failed, exited with code 1 during startup' });
    expect(s['sibling']!.outcome).toBe('done');
    const states = Object.fromEntries(h.engine.status().map((status) => [status.name, status]));
    expect(states['leaf1']).toMatchObject({ state: 'blocked', reason: 'waiting for mid: failed, exited with code 1 during startup' });
    expect(states['sibling']!.state).toBe('healthy');
    expect(states['mid']!.logTail).toContain('boom: cannot reach the database');
    expect(h.processes('leaf1')).toEqual([]);
  });

  it('on cancel launches nothing more, lets the start under way finish, and leaves the rest stopped', async () => {
    const { text } = delayedRegistry({ a: { delay: 400 }, b: { deps: ['a'] }, c: { deps: ['b'] } });
    const h = await open(text);
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 150);
    const report = await h.engine.platformStart(['c'], { signal: cancel.signal });
    expect(report.cancelled).toBe(true);
    expect(report.steps.map((s) => [s.name, s.outcome])).toEqual([['a', 'done'], ['b', 'cancelled'], ['c', 'cancelled']]);
    expect(h.engine.status().map((s) => s.state)).toEqual(['healthy', 'stopped', 'stopped']);
    expect(h.processes('b')).toEqual([]);
  });

  it('counts what already runs as done and starts only the rest', async () => {
    const { text } = delayedRegistry({ a: {}, b: { deps: ['a'] } });
    const h = await open(text);
    await h.engine.start('a');
    const report = await h.engine.platformStart(['b']);
    expect(report.steps.map((s) => [s.name, s.outcome, s.reason])).toEqual([
      ['a', 'skipped', 'already running'],
      ['b', 'done', expect.stringMatching(/ready/) as unknown as string],
    ]);
  });

  it('refuses an unknown service before starting anything', async () => {
    const { text } = delayedRegistry({ api: {} });
    const h = await open(text);
    await expect(h.engine.platformStart(['apj'])).rejects.toThrow("unknown service 'apj' (did you mean 'api'?)");
    expect(h.engine.status()[0]!.state).toBe('stopped');
  });
});
