/**
 * How the log view reaches one line of a service's log (an event's lifecycle line): where it is
 * held already, nothing to load; where it is a page or a few back, the lines from it up to what is
 * held, with some before it (the newest held are let go if there is no room: log-store.ts); further
 * back than the view holds, a window around it instead of what is held. Pure, so it is tested
 * without a terminal.
 */

/** Lines shown before the line revealed (the run up to a failure is what one looks for). */
export const REVEAL_BEFORE = 50;
/** Lines of a window around a line far back: a few screens either side. */
export const REVEAL_WINDOW = 1_000;

export type RevealPlan =
  | { readonly kind: 'held' }
  /** logTail of `lines` before `before` (the oldest seq held), put before what is held. */
  | { readonly kind: 'older'; readonly before: number; readonly lines: number }
  /** logTail of `lines` before `before`, in place of what is held. */
  | { readonly kind: 'window'; readonly before: number; readonly lines: number };

/**
 * `oldest`: the oldest seq held of the service (undefined: none held); `held`: whether `seq` itself
 * is; `max`: the most lines the view holds.
 */
export function planReveal(seq: number, oldest: number | undefined, held: boolean, max: number): RevealPlan {
  if (held) return { kind: 'held' };
  const before = Math.max(1, seq - REVEAL_BEFORE);
  if (oldest !== undefined && seq < oldest && oldest - before <= max) return { kind: 'older', before: oldest, lines: oldest - before };
  // Far back, in a gap of what is held, or newer than it (not arrived yet): read around it.
  const after = Math.floor(REVEAL_WINDOW / 2);
  return { kind: 'window', before: seq + after + 1, lines: Math.min(max, REVEAL_WINDOW + 1) };
}
