/** Start order, waves and cycles, checked on random graphs against obvious reference algorithms. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, DependencyCycleError, findCycles, startWaves, topologicalOrder, type GraphNode } from '@shared/graph';
import { byName, dagArbitrary, digraphArbitrary, referenceHasCycle } from '../../support/random-graphs';

/** Greedy reference: repeatedly take the ready service with the lowest (order, name). */
function referenceOrder(nodes: readonly GraphNode[]): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes
      .filter((n) => !done.has(n.name) && n.dependencies.every((d) => done.has(d)))
      .sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1))[0]!;
    done.add(next.name);
    order.push(next.name);
  }
  return order;
}

describe('topologicalOrder', () => {
  it('puts dependencies first and uses order, then name, among ready services', () => {
    fc.assert(
      fc.property(dagArbitrary(), (nodes) => {
        expect(topologicalOrder(buildGraph(nodes))).toEqual(referenceOrder(nodes));
      }),
      { numRuns: 500 },
    );
  });

  it('never lets order override a dependency', () => {
    const graph = buildGraph([
      { name: 'ui', order: 1, dependencies: ['api'] },
      { name: 'api', order: 50, dependencies: [] },
      { name: 'db', order: 10, dependencies: [] },
    ]);
    expect(topologicalOrder(graph)).toEqual(['db', 'api', 'ui']);
  });

  it('throws a DependencyCycleError naming the cycle exactly when there is one', () => {
    fc.assert(
      fc.property(digraphArbitrary(), (nodes) => {
        const graph = buildGraph(nodes);
        if (!referenceHasCycle(nodes)) return void expect(topologicalOrder(graph)).toHaveLength(nodes.length);
        expect(() => topologicalOrder(graph)).toThrow(DependencyCycleError);
      }),
      { numRuns: 500 },
    );
  });
});

describe('findCycles', () => {
  it('finds a cycle exactly when one exists, and every cycle it returns is real and simple', () => {
    fc.assert(
      fc.property(digraphArbitrary(), (nodes) => {
        const cycles = findCycles(buildGraph(nodes));
        expect(cycles.length > 0).toBe(referenceHasCycle(nodes));
        const lookup = byName(nodes);
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
          for (let i = 0; i + 1 < cycle.length; i++) expect(lookup.get(cycle[i]!)!.dependencies).toContain(cycle[i + 1]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reports one cycle per strongly connected component', () => {
    const graph = buildGraph([
      { name: 'a', order: 0, dependencies: ['b'] },
      { name: 'b', order: 0, dependencies: ['a', 'c'] },
      { name: 'c', order: 0, dependencies: ['c'] },
      { name: 'd', order: 0, dependencies: ['e'] },
      { name: 'e', order: 0, dependencies: ['d'] },
    ]);
    expect(
      findCycles(graph)
        .map((cycle) => cycle.join(' → '))
        .sort(),
    ).toEqual(['a → b → a', 'c → c', 'd → e → d']);
  });

  it('handles a 20,000-long chain without recursion', () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => ({ name: `s${i}`, order: 0, dependencies: i ? [`s${i - 1}`] : [`s${19_999}`] }));
    expect(findCycles(buildGraph(nodes))[0]).toHaveLength(20_001);
  });
});

describe('startWaves', () => {
  it("puts each service one wave after its latest dependency's wave", () => {
    fc.assert(
      fc.property(dagArbitrary(), (nodes) => {
        const waves = startWaves(buildGraph(nodes));
        const waveOf = new Map(waves.flatMap((wave, i) => wave.map((name) => [name, i] as const)));
        expect(waveOf.size).toBe(nodes.length);
        for (const node of nodes) {
          const expected = Math.max(-1, ...node.dependencies.map((d) => waveOf.get(d)!)) + 1;
          expect(waveOf.get(node.name)).toBe(expected);
        }
        for (const wave of waves) expect(wave.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
