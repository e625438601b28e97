/** Where a popover goes beside its anchor: below it with room, above it near the window's bottom, always inside the window's width. */
import { describe, expect, it } from 'vitest';
import { placeBeside } from '../../../src-renderer/src/components/tooltip-place';

describe('placeBeside', () => {
  it('opens below the anchor, at its left edge, when there is room', () => {
    expect(placeBeside({ top: 100, bottom: 120, left: 40 }, 1440, 900)).toEqual({ left: 40, top: 126 });
  });

  it('opens above an anchor near the bottom of the window', () => {
    expect(placeBeside({ top: 860, bottom: 880, left: 40 }, 1440, 900)).toEqual({ left: 40, bottom: 46 });
  });

  it('stays inside the window: an anchor at its right edge pulls the popover left, one past its left edge pushes it in', () => {
    expect(placeBeside({ top: 100, bottom: 120, left: 1400 }, 1440, 900).left).toBe(1440 - 340 - 6);
    expect(placeBeside({ top: 100, bottom: 120, left: -30 }, 1440, 900).left).toBe(6);
  });
});
