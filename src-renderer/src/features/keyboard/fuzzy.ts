/**
 * The command palette's matching: each word typed must appear in the command's text as a
 * subsequence (its letters in order, not necessarily together), so "stp ap" finds "Stop api". A
 * better match scores lower: letters together and at word starts, the word found early.
 */

/** The score of `query` against `text`, or undefined when some word of it does not match. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const haystack = text.toLowerCase();
  let total = 0;
  for (const word of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    const score = wordScore(word, haystack);
    if (score === undefined) return undefined;
    total += score;
  }
  return total;
}

function wordScore(word: string, text: string): number | undefined {
  let best: number | undefined;
  // Try each place the first letter appears: a greedy match from the first one can miss a tighter one later.
  for (let start = text.indexOf(word[0]!); start >= 0; start = text.indexOf(word[0]!, start + 1)) {
    let at = start;
    let score = start + (start === 0 || text[start - 1] === ' ' ? 0 : 4);
    for (let i = 1; i < word.length && score !== undefined; i++) {
      const next = text.indexOf(word[i]!, at + 1);
      if (next < 0) return best;
      score += (next - at - 1) * 2;
      at = next;
    }
    if (best === undefined || score < best) best = score;
  }
  return best;
}
