/** The platform scheduler itself, with steps that finish when the test says: order, blocking, cancel. */
import { describe, expect, it } from 'vitest';
import { runDag, type StepResult } from '../../../src-main/core/platform/dag-run';

/** Steps whose runs wait until released, recording the order they began in. */
function steps(deps: Record<string, string[]>) {
  const began: string[] = [];
  const release = new Map<string, (result: StepResult) => void>();
  const run = (name: string) =>
    new Promise<StepResult>((resolve) => {
      began.push(name);
      release.set(name, resolve);
    });
  const settle = async (name: string, outcome: StepResult['outcome'] = 'done') => {
    await new Promise((resolve) => setImmediate(resolve));
    release.get(name)!({ outcome, reason: outcome });
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { began, run, settle, waitsFor: (name: string) => deps[name] ?? [] };
}

describe('runDag', () => {
  it('launches the ready steps by priority when only one may run at a time', async () => {
    const s = steps({});
    const rank: Record<string, number> = { late: 3, first: 1, middle: 2 };
    const done = runDag({ steps: ['late', 'first', 'middle'], waitsFor: s.waitsFor, priority: (n) => rank[n]!, run: s.run, concurrency: 1 });
    for (const name of ['first', 'middle', 'late']) await s.settle(name);
    await done;
    expect(s.began).toEqual(['first', 'middle', 'late']);
  });

  it('launches a step the moment its own prerequisites are done, not when a whole layer is', async () => {
    const s = steps({ x: ['fast'], y: ['slow'] });
    const rank: Record<string, number> = { fast: 1, slow: 2, x: 3, y: 4 };
    let tick = 0;
    const done = runDag({ steps: ['fast', 'slow', 'x', 'y'], waitsFor: s.waitsFor, priority: (n) => rank[n]!, run: s.run, now: () => tick++ });
    await s.settle('fast');
    expect(s.began).toEqual(['fast', 'slow', 'x']);
    await s.settle('x');
    await s.settle('slow');
    await s.settle('y');
    expect((await done).criticalPath).toEqual(['slow', 'y']);
  });

  it('blocks what waits on a failure, transitively and with the cause, and cancels what never began', async () => {
    const s = steps({ b: ['a'], c: ['b'], d: [], e: ['d'] });
    const rank: Record<string, number> = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    const abort = new AbortController();
    const blocked: string[] = [];
    const done = runDag({
      steps: ['a', 'b', 'c', 'd', 'e'],
      waitsFor: s.waitsFor,
      priority: (n) => rank[n]!,
      run: s.run,
      signal: abort.signal,
      onBlocked: (n) => blocked.push(n),
    });
    await s.settle('a', 'failed');
    abort.abort();
    await s.settle('d');
    const result = await done;
    expect(Object.fromEntries(result.steps.map((step) => [step.name, [step.outcome, step.reason]]))).toEqual({
      a: ['failed', 'failed'],
      b: ['blocked', 'waiting for a: failed, failed'],
      c: ['blocked', 'waiting for b: waiting for a: failed, failed'],
      d: ['done', 'done'],
      e: ['cancelled', 'cancelled before it began'],
    });
    expect(result.cancelled).toBe(true);
    expect(blocked).toEqual(['b', 'c']);
  });
});
