import { describe, expect, it } from 'vitest';
import { isLifecycleFailure, keepsLine, type FilterableLine } from '../../../src-shared/contract/log-filter';
import { methods } from '../../../src-shared/contract/methods';

const line = (time: string, stream: FilterableLine['stream'], text: string): FilterableLine => ({ time, stream, text });
const at = (second: number) => `2026-01-31T12:00:0${second}.000Z`;

describe('log filter', () => {
  it('keeps everything when nothing is asked', () => {
    expect(keepsLine({}, line(at(1), 'err', 'x'))).toBe(true);
  });

  it('since and until are inclusive; streams and grep combine with them', () => {
    const filter = { since: at(2), until: at(4), streams: new Set(['out', 'evt'] as const), grep: /^ok/ };
    expect([1, 2, 3, 4, 5].map((s) => keepsLine(filter, line(at(s), 'out', 'ok')))).toEqual([false, true, true, true, false]);
    expect(keepsLine(filter, line(at(3), 'err', 'ok'))).toBe(false);
    expect(keepsLine(filter, line(at(3), 'evt', 'not ok'))).toBe(false);
  });

  it('tells a lifecycle failure by the state the supervisor wrote first: the bad tone, lifecycle lines only', () => {
    const evt = (text: string) => ({ stream: 'evt' as const, text });
    expect(
      ['failed: exited with code 1', 'crash-loop: 5 starts', 'unhealthy: http 500', 'conflict: port taken'].map((t) => isLifecycleFailure(evt(t))),
    ).toEqual([true, true, true, true]);
    expect(['healthy: ok', 'restarting: in 2s', 'started pid 4', 'failed', ': failed', 'failedx: y'].map((t) => isLifecycleFailure(evt(t)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isLifecycleFailure({ stream: 'err', text: 'failed: x' })).toBe(false);
  });
});

describe('logTail paging', () => {
  it('carries `before` (a seq) through the contract, and refuses one below 1', () => {
    expect(methods.logTail.params.parse({ name: 'api', lines: 500, before: 301 })).toEqual({ name: 'api', lines: 500, before: 301 });
    expect(methods.logTail.params.parse({ name: 'api' })).toEqual({ name: 'api', lines: 200 });
    expect(methods.logTail.params.safeParse({ name: 'api', before: 0 }).success).toBe(false);
  });
});
