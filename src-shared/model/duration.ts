/** Durations are written as strings in the registry ("250ms", "5s", "1m30s") and used as milliseconds. */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * The longest duration a registry may give: 576h (24 days). Node's timers hold at most 2³¹−1 ms
 * (about 24.8 days) and treat anything longer as 1 ms, so a longer timeout would fail at once and a
 * longer interval would spin; nothing the registry times (checks, starts, stops, restarts) waits that long.
 */
export const MAX_DURATION_MS = 576 * 3_600_000;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Milliseconds of a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** The shortest readable form: 1500 → "1.5s", 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`].filter(Boolean).join('');
}

export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';
