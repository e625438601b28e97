import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '@shared/model';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['0s', 0],
  ])('parses %s as %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', 's', '5 s', '5sec', '-1s', '1s ', 'ms5'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [250, '250ms'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
  ])('formats %i ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
