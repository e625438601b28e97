/** Where a popover (tooltip.tsx) goes beside its anchor, without a DOM: below it, or above it near the window's bottom, inside the window's width. */
import type { CSSProperties } from 'react';

/** The popover's widest (styles.css .tooltip), kept inside the window. */
const MAX_WIDTH = 340;
/** Room it needs below its anchor; with less, it opens above. */
const ROOM_BELOW = 96;
const GAP = 6;

export /** Where the popover goes for an anchor at `rect` in a window of `width` × `height`. */
function placeBeside(rect: Pick<DOMRect, 'top' | 'bottom' | 'left'>, width: number, height: number): CSSProperties {
  const left = Math.max(GAP, Math.min(rect.left, width - MAX_WIDTH - GAP));
  return rect.bottom + ROOM_BELOW <= height ? { left, top: rect.bottom + GAP } : { left, bottom: height - rect.top + GAP };
}
