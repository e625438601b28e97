/** Dependencies, dependents, start sets, blast radius and can-stop on random DAGs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius, buildGraph, canStop, dependenciesOf, dependentsOf, startSet, topologicalOrder, UnknownServiceError } from '@shared/graph';
import { dagArbitrary, referenceDependencies } from '../../support/random-graphs';

const pick = fc.nat();

describe('dependencies and dependents', () => {
  it('match plain recursion, in start order (dependencies) and stop order (dependents)', () => {
    fc.assert(
      fc.property(dagArbitrary(), pick, (nodes, n) => {
        const graph = buildGraph(nodes);
        const name = nodes[n % nodes.length]!.name;
        const order = topologicalOrder(graph);
        const needs = dependenciesOf(graph, [name]);
        expect(new Set(needs)).toEqual(referenceDependencies(nodes, name));
        expect(needs).toEqual(order.filter((s) => needs.includes(s)));
        const neededBy = dependentsOf(graph, [name]);
        expect(new Set(neededBy)).toEqual(new Set(nodes.filter((s) => referenceDependencies(nodes, s.name).has(name)).map((s) => s.name)));
        expect(neededBy).toEqual([...order].reverse().filter((s) => neededBy.includes(s)));
      }),
      { numRuns: 300 },
    );
  });

  it('direct only when asked', () => {
    const graph = buildGraph([
      { name: 'db', order: 0, dependencies: [] },
      { name: 'api', order: 0, dependencies: ['db'] },
      { name: 'ui', order: 0, dependencies: ['api'] },
    ]);
    expect(dependenciesOf(graph, ['ui'], { transitive: false })).toEqual(['api']);
    expect(dependenciesOf(graph, ['ui'])).toEqual(['db', 'api']);
    expect(dependentsOf(graph, ['db'], { transitive: false })).toEqual(['api']);
    expect(dependentsOf(graph, ['db'])).toEqual(['ui', 'api']);
  });

  it('reject unknown names', () => {
    expect(() => dependenciesOf(buildGraph([]), ['ghost'])).toThrow(UnknownServiceError);
  });
});

describe('startSet and blastRadius', () => {
  it('start a target with everything it needs, dependencies first; stop it with everything that needs it, dependents first', () => {
    fc.assert(
      fc.property(dagArbitrary(), pick, pick, (nodes, a, b) => {
        const graph = buildGraph(nodes);
        const targets = [...new Set([nodes[a % nodes.length]!.name, nodes[b % nodes.length]!.name])];
        const starting = startSet(graph, targets);
        const expected = new Set(targets.flatMap((t) => [t, ...referenceDependencies(nodes, t)]));
        expect(new Set(starting)).toEqual(expected);
        expect(starting).toHaveLength(expected.size);
        const position = new Map(starting.map((s, i) => [s, i]));
        for (const node of nodes.filter((n) => position.has(n.name))) {
          for (const dep of node.dependencies) expect(position.get(dep)!).toBeLessThan(position.get(node.name)!);
        }
        const stopping = blastRadius(graph, targets);
        const stopPosition = new Map(stopping.map((s, i) => [s, i]));
        for (const node of nodes.filter((n) => stopPosition.has(n.name))) {
          for (const dep of node.dependencies.filter((d) => stopPosition.has(d))) {
            expect(stopPosition.get(node.name)!).toBeLessThan(stopPosition.get(dep)!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('canStop', () => {
  const graph = buildGraph([
    { name: 'orchestrator', order: 10, dependencies: [] },
    { name: 'control-center', order: 20, dependencies: ['orchestrator'] },
    { name: 'mcp-server', order: 40, dependencies: ['orchestrator'] },
    { name: 'gitea', order: 30, dependencies: [] },
  ]);

  it('refuses while a dependent runs, naming it', () => {
    const running = new Set(['orchestrator', 'mcp-server', 'gitea']);
    expect(canStop(graph, 'orchestrator', (s) => running.has(s))).toEqual({ ok: false, runningDependents: ['mcp-server'] });
  });

  it('allows a stop when no dependent runs', () => {
    const running = new Set(['orchestrator', 'gitea']);
    expect(canStop(graph, 'orchestrator', (s) => running.has(s))).toEqual({ ok: true, runningDependents: [] });
    expect(canStop(graph, 'gitea', () => true).ok).toBe(true);
  });

  it('counts dependents through stopped services', () => {
    const chain = buildGraph([
      { name: 'db', order: 0, dependencies: [] },
      { name: 'api', order: 0, dependencies: ['db'] },
      { name: 'ui', order: 0, dependencies: ['api'] },
    ]);
    expect(canStop(chain, 'db', (s) => s !== 'api').runningDependents).toEqual(['ui']);
  });
});
