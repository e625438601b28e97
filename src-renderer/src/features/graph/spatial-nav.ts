/**
 * Arrow keys on the graph: the next node is the nearest one in that direction, measured between
 * centres, a step across the direction costing twice a step along it (so Down picks the node below
 * before one in the next column that is a little lower).
 */
import type { Position } from './graph-layout';

export type Direction = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export const isDirection = (key: string): key is Direction => key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';

/** The id of the nearest centre in `direction` from `from`'s, or undefined at the edge of the graph. */
export function nearestInDirection(from: string, centres: ReadonlyMap<string, Position>, direction: Direction): string | undefined {
  const origin = centres.get(from);
  if (!origin) return undefined;
  const horizontal = direction === 'ArrowLeft' || direction === 'ArrowRight';
  const sign = direction === 'ArrowRight' || direction === 'ArrowDown' ? 1 : -1;
  let best: { id: string; score: number } | undefined;
  for (const [id, centre] of centres) {
    if (id === from) continue;
    const along = sign * (horizontal ? centre.x - origin.x : centre.y - origin.y);
    const across = Math.abs(horizontal ? centre.y - origin.y : centre.x - origin.x);
    if (along <= 0) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { id, score };
  }
  return best?.id;
}
