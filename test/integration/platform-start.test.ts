/**
 * `platform start` over real processes: each service launched the moment its dependencies are
 * healthy, failures blocking only what needs them, cancel leaving a consistent state.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlatformReport, Step } from '@shared/contract/platform';
import { delayedRegistry } from '../support/delayed-services';
import { harnesses, waitFor, type Harness } from '../support/engine-harness';

const { open } = harnesses();
const steps = (report: PlatformReport): Record<string, Step> => Object.fromEntries(report.steps.map((s) => [s.name, s]));
const state = (h: Harness, name: string) => h.engine.status().find((status) => status.name === name)?.state;

/** Makes a service of delayedRegistry ready now; written until seen, as the fixture clears its file when its process begins. */
const makeReady = (h: Harness, readyFile: (name: string) => string, name: string) =>
  waitFor(() => {
    writeFileSync(readyFile(name), 'ready');
    return state(h, name) === 'healthy';
  });

describe('platform start', () => {
  it('starts a diamond: both middles together once the root is healthy, the top after the slower one', async () => {
    // `b` is the slower middle by construction: it is made ready only once `c` is healthy.
    const { text, readyFile } = delayedRegistry({
      a: { delay: 200 },
      b: { delay: 3_600_000, deps: ['a'] },
      c: { delay: 50, deps: ['a'] },
      d: { delay: 50, deps: ['b', 'c'] },
    });
    const h = await open(text);
    const starting = h.engine.platformStart(['d']);
    await waitFor(() => state(h, 'c') === 'healthy');
    await makeReady(h, readyFile, 'b');
    const report = await starting;
    const s = steps(report);
    expect(report.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(s['b']!.began).toBeGreaterThanOrEqual(s['a']!.ended!);
    expect(s['c']!.began).toBeGreaterThanOrEqual(s['a']!.ended!);
    // Together: neither middle waited for the other.
    expect(s['b']!.began).toBeLessThan(s['c']!.ended!);
    expect(s['c']!.began).toBeLessThan(s['b']!.ended!);
    expect(s['d']!.began).toBeGreaterThanOrEqual(s['b']!.ended!);
    expect(s['d']!.began).toBeGreaterThanOrEqual(s['c']!.ended!);
    expect(report.criticalPath).toEqual(['a', 'b', 'd']);
    expect(h.engine.status().every((status) => status.state === 'healthy')).toBe(true);
  });

  it('does not start in layers: a service goes as soon as its own dependencies are healthy', async () => {
    // `slow` is ready only when the test says so: after the whole fast branch is healthy.
    const { text, readyFile } = delayedRegistry({
      fast: { delay: 50 },
      slow: { delay: 3_600_000 },
      x: { deps: ['fast'] },
      y: { deps: ['slow'] },
      z: { deps: ['x'] },
    });
    const h = await open(text);
    const starting = h.engine.platformStart(['y', 'z']);
    await waitFor(() => state(h, 'z') === 'healthy');
    expect(state(h, 'slow')).toBe('starting');
    await makeReady(h, readyFile, 'slow');
    const s = steps(await starting);
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
    // Together: every leaf began before any leaf was ready (one at a time, each would wait for the last).
    const began = leaves.map((name) => s[name]!.began!);
    const ended = leaves.map((name) => s[name]!.ended!);
    expect(Math.min(...began)).toBeGreaterThanOrEqual(s['root']!.ended!);
    expect(Math.max(...began)).toBeLessThan(Math.min(...ended));
    expect(report.steps.map((step) => step.outcome)).toEqual(Array(13).fill('done'));
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
    expect(states['leaf1']).toMatchObject({ state: 'blocked', reason: 'waiting for mid, which is failed: exited with code 1 during startup' });
    expect(states['sibling']!.state).toBe('healthy');
    expect(states['mid']!.logTail).toContain('boom: cannot reach the database');
    expect(h.processes('leaf1')).toEqual([]);
  });

  it('on cancel launches nothing more, lets the start under way finish, and leaves the rest stopped', async () => {
    const { text } = delayedRegistry({ a: { delay: 400 }, b: { deps: ['a'] }, c: { deps: ['b'] } });
    const h = await open(text);
    const cancel = new AbortController();
    // Cancelled while `a` is under way: its start finishes, nothing after it begins.
    h.engine.subscribe(({ status }) => status.name === 'a' && status.state === 'starting' && cancel.abort());
    const report = await h.engine.platformStart(['c'], { signal: cancel.signal });
    expect(report.cancelled).toBe(true);
    expect(report.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['a', 'done'],
      ['b', 'cancelled'],
      ['c', 'cancelled'],
    ]);
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
