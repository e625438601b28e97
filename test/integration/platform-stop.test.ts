/** Stopping along the graph, refusing to pull a dependency from under running services, and reacting to a dependency's failure. */
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlatformReport, Step } from '@shared/contract/platform';
import { delayedRegistry } from '../support/delayed-services';
import { harnesses, waitFor } from '../support/engine-harness';

const { open } = harnesses();
const steps = (report: PlatformReport): Record<string, Step> => Object.fromEntries(report.steps.map((s) => [s.name, s]));
const diamond = { a: {}, b: { deps: ['a'] }, c: { deps: ['a'] }, d: { deps: ['b', 'c'] }, other: {} };

describe('platform stop', () => {
  it('refuses to stop a service that running services need, naming them, and stops nothing', async () => {
    const h = await open(delayedRegistry(diamond).text);
    await h.engine.platformStart(['d']);
    // What happened, with the dependents as data for each face's remedy: no CLI flag in the engine's words.
    await expect(h.engine.stop('a', { dependents: 'refuse' })).rejects.toMatchObject({
      name: 'DependentsRunningError',
      message: 'cannot stop a: d, c, b need it and are running',
      data: { service: 'a', dependents: ['d', 'c', 'b'] },
    });
    expect(
      h.engine
        .status()
        .filter((s) => s.state === 'healthy')
        .map((s) => s.name),
    ).toEqual(['a', 'b', 'c', 'd']);
    expect((await h.engine.stop('d', { dependents: 'refuse' })).state).toBe('stopped');
  });

  it('cascades dependents first: each service stops only after everything that needs it', async () => {
    const h = await open(delayedRegistry(diamond).text);
    await h.engine.platformStart(['d', 'other']);
    const report = await h.engine.platformStop(['a']);
    const s = steps(report);
    expect(Object.keys(s).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const [service, dependents] of [
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
    ] as const) {
      for (const dependent of dependents) expect(s[service]!.began).toBeGreaterThanOrEqual(s[dependent]!.ended!);
    }
    // b and c do not need each other: they stop together.
    expect(s['b']!.began!).toBeLessThan(s['c']!.ended!);
    expect(h.engine.status().find((st) => st.name === 'other')!.state).toBe('healthy');
    expect(['a', 'b', 'c', 'd'].flatMap((name) => h.processes(name))).toEqual([]);
  });

  it('stops everything with no names, and reports what was not running', async () => {
    const h = await open(delayedRegistry(diamond).text);
    await h.engine.platformStart(['b']);
    const report = await h.engine.platformStop([]);
    expect(
      report.steps
        .filter((s) => s.outcome === 'done')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(
      report.steps
        .filter((s) => s.outcome === 'skipped')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['c', 'd', 'other']);
  });
});

describe('on_dependency_failure', () => {
  it('stop: stops the dependent while its dependency is down (shown blocked) and starts it again after', async () => {
    const { text, readyFile } = delayedRegistry({ db: { interval: '100ms' }, api: { deps: ['db'], extra: 'on_dependency_failure = "stop"' } });
    const h = await open(text);
    await h.engine.platformStart(['api']);
    const [before] = h.processes('api');
    rmSync(readyFile('db'));
    await waitFor(() => h.engine.status().find((s) => s.name === 'api')!.state === 'blocked');
    expect(h.engine.status().find((s) => s.name === 'api')!.reason).toMatch(/^stopped because dependency db is unhealthy: .*; starts again when it recovers$/);
    expect(h.processes('api')).toEqual([]);
    writeFileSync(readyFile('db'), 'up');
    await waitFor(() => h.engine.status().find((s) => s.name === 'api')!.state === 'healthy');
    expect(h.processes('api')[0]).not.toBe(before);
  });

  it('restart: keeps the dependent running (degraded) and restarts it once the dependency recovers', async () => {
    const { text, readyFile } = delayedRegistry({ db: { interval: '100ms' }, api: { deps: ['db'], extra: 'on_dependency_failure = "restart"' } });
    const h = await open(text);
    await h.engine.platformStart(['api']);
    const [before] = h.processes('api');
    rmSync(readyFile('db'));
    await waitFor(() => h.engine.status().find((s) => s.name === 'api')!.state === 'degraded');
    expect(h.processes('api')).toEqual([before]);
    writeFileSync(readyFile('db'), 'up');
    await waitFor(() => {
      const api = h.engine.status().find((s) => s.name === 'api')!;
      return api.state === 'healthy' && api.pid !== before;
    });
    expect(h.events.filter((e) => e.name === 'api').map((e) => e.state)).toEqual([
      'starting',
      'healthy',
      'degraded',
      'stopping',
      'stopped',
      'starting',
      'healthy',
    ]);
  });
});
