/** The graph's layout: columns by dependency depth, every dependency to the left, no overlaps. */
import { describe, expect, it } from 'vitest';
import { layoutWithRoutes, NODE_HEIGHT, NODE_WIDTH, type LayoutInput } from '../../../src-renderer/src/features/graph/graph-layout';

const layoutGraph = (services: readonly LayoutInput[]) => layoutWithRoutes(services).positions;

describe('the graph layout', () => {
  it('puts each service one column right of its deepest dependency', () => {
    const positions = layoutGraph([
      { name: 'web', dependencies: ['api'] },
      { name: 'api', dependencies: ['auth', 'cache'] },
      { name: 'auth', dependencies: ['orchestrator'] },
      { name: 'cache', dependencies: ['orchestrator'] },
      { name: 'orchestrator', dependencies: [] },
      { name: 'indexer', dependencies: ['orchestrator'] },
    ]);
    const column = (name: string) => positions.get(name)!.x / (positions.get('auth')!.x || 1);
    expect(['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'].map(column)).toEqual([0, 1, 1, 1, 2, 3]);
  });

  it('never overlaps two nodes and keeps every edge pointing right, on a random 500-service DAG', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const services = Array.from({ length: 500 }, (_, i) => ({
      name: `s${i}`,
      dependencies: i === 0 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => `s${Math.floor(random() * i)}`))],
    }));
    const positions = layoutGraph(services);
    expect(positions.size).toBe(500);
    for (const s of services) for (const d of s.dependencies) expect(positions.get(d)!.x).toBeLessThan(positions.get(s.name)!.x);
    const seen = new Set<string>();
    for (const { x, y } of positions.values()) {
      const cell = `${Math.round(x / NODE_WIDTH)}:${Math.round(y / NODE_HEIGHT)}`;
      expect(seen.has(cell)).toBe(false);
      seen.add(cell);
    }
  });

  it('does not loop on a cycle (an invalid registry) and still places every node', () => {
    expect(
      layoutGraph([
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ]).size,
    ).toBe(2);
  });
});
