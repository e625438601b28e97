/** How the log view reaches a line an event links to: held, a page back (older lines before what is held), or a window around it. */
import { describe, expect, it } from 'vitest';
import { planReveal, REVEAL_BEFORE, REVEAL_WINDOW } from '../../../src-renderer/src/features/logs/log-reveal';

describe('planReveal', () => {
  it('loads nothing for a line held', () => {
    expect(planReveal(700, 500, true, 10_000)).toEqual({ kind: 'held' });
  });

  it('reads back from the oldest held to a little before the line when that fits in what the view holds', () => {
    expect(planReveal(300, 500, false, 10_000)).toEqual({ kind: 'older', before: 500, lines: 500 - (300 - REVEAL_BEFORE) });
    // The first lines of a log: nothing before seq 1 to read.
    expect(planReveal(2, 500, false, 10_000)).toEqual({ kind: 'older', before: 500, lines: 499 });
  });

  it('reads a window around a line further back than the view holds, or one it does not hold at all', () => {
    const window = { kind: 'window', before: 100 + REVEAL_WINDOW / 2 + 1, lines: REVEAL_WINDOW + 1 };
    expect(planReveal(100, 20_000, false, 10_000)).toEqual(window);
    expect(planReveal(100, undefined, false, 10_000)).toEqual(window); // nothing of the service held
    expect(planReveal(100, 50, false, 10_000)).toEqual(window); // in a gap of what is held, or not arrived yet
  });
});
