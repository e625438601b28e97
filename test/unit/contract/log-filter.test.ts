import { describe, expect, it } from 'vitest';
import { keepsLine, type FilterableLine } from '../../../src-shared/contract/log-filter';

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
});
