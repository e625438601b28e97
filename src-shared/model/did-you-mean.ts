/**
 * The candidate closest to a word by edit distance, when it is close enough to be a likely typo.
 * The work is bounded: long words get no suggestion, candidates whose length alone rules them out
 * cost nothing, a distance stops once it cannot win, and a budget shared by the calls of one
 * validation caps the total (a registry with thousands of typos must not take minutes to check).
 */

/** Typos worth suggesting are in names and keys, not in kilobyte-long strings. */
export const MAX_SUGGESTED_LENGTH = 64;

/** Edit-distance cells (one comparison of two letters) the calls sharing it may still spend. */
export interface SuggestionBudget {
  cells: number;
}

/** About 10 ms of comparisons: plenty for the typos of a real registry, far from a stall. */
export const suggestionBudget = (cells = 2_000_000): SuggestionBudget => ({ cells });

function didYouMean(word: string, candidates: Iterable<string>, budget: SuggestionBudget | undefined): string | undefined {
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  // Close enough: a third of the word may differ (at least one letter), but never all of it.
  let bestDistance = Math.min(Math.max(1, Math.floor(word.length / 3)), word.length - 1) + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    if (budget) {
      if (budget.cells <= 0) break;
      budget.cells -= word.length * candidate.length;
    }
    const distance = editDistanceBelow(lower, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)`, or nothing. Pass a budget when the candidates come from the input itself. */
export function suggestion(word: string, candidates: Iterable<string>, budget?: SuggestionBudget): string {
  const match = didYouMean(word, candidates, budget);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}

/** The edit distance of a and b when it is below `limit`, else some value ≥ limit (it stops early). */
function editDistanceBelow(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      rowMinimum = Math.min(rowMinimum, current[j]!);
    }
    // Every later row is at least this row's minimum.
    if (rowMinimum >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
