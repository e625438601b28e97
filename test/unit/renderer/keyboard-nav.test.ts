/** The keyboard's two pure parts: arrow keys on the graph (nearest node that way) and the palette's matching. */
import { describe, expect, it } from 'vitest';
import { nearestInDirection } from '../../../src-renderer/src/features/graph/spatial-nav';
import { fuzzyScore } from '../../../src-renderer/src/features/keyboard/fuzzy';

describe('arrow keys on the graph', () => {
  // The demo's columns: orchestrator | auth, cache, indexer | api | web (centres).
  const centres = new Map([
    ['orchestrator', { x: 0, y: 100 }],
    ['auth', { x: 300, y: 0 }],
    ['cache', { x: 300, y: 100 }],
    ['indexer', { x: 300, y: 200 }],
    ['api', { x: 600, y: 50 }],
    ['web', { x: 900, y: 100 }],
  ]);
  it('moves to the nearest node in that direction, the one in line first', () => {
    expect(nearestInDirection('orchestrator', centres, 'ArrowRight')).toBe('cache');
    expect(nearestInDirection('cache', centres, 'ArrowDown')).toBe('indexer');
    expect(nearestInDirection('cache', centres, 'ArrowUp')).toBe('auth');
    expect(nearestInDirection('indexer', centres, 'ArrowRight')).toBe('api');
    expect(nearestInDirection('api', centres, 'ArrowLeft')).toBe('auth');
  });
  it('stays at the edge of the graph', () => {
    expect(nearestInDirection('orchestrator', centres, 'ArrowLeft')).toBeUndefined();
    expect(nearestInDirection('web', centres, 'ArrowRight')).toBeUndefined();
    expect(nearestInDirection('auth', centres, 'ArrowUp')).toBeUndefined();
  });
});

describe('the palette’s matching', () => {
  it('finds each word as letters in order, in any part of the command', () => {
    expect(fuzzyScore('stop orch', 'Stop orchestrator')).toBeDefined();
    expect(fuzzyScore('stp ap', 'Stop api')).toBeDefined();
    expect(fuzzyScore('api', 'Logs of api')).toBeDefined();
    expect(fuzzyScore('stop xyz', 'Stop api')).toBeUndefined();
  });
  it('ranks letters together and at word starts first', () => {
    const ranked = ['Restart api', 'Stop api', 'Start auth'].sort((a, b) => fuzzyScore('st a', a)! - fuzzyScore('st a', b)!);
    expect(ranked[0]).toMatch(/^St/);
    expect(fuzzyScore('stop', 'Stop web')!).toBeLessThan(fuzzyScore('stop', 'Restart stopper')!);
    // A tighter match later in the text beats a loose one from the first letter.
    expect(fuzzyScore('ab', 'a x x x b ab')).toBeLessThan(fuzzyScore('ab', 'a x x x b')!);
  });
});
