/** Critical path, conflicts, trees and exports. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, conflictPairs, criticalPath, dependencyForest, dependencyTree, toDot, toMermaid, type GraphNode, type TreeNode } from '@shared/graph';
import { byName, dagArbitrary, referenceDependencies } from '../../support/random-graphs';

/** Longest finish time over all chains, by plain recursion. */
function referenceLongest(nodes: readonly GraphNode[], duration: (name: string) => number): number {
  const lookup = byName(nodes);
  const finish = (name: string): number => duration(name) + Math.max(0, ...lookup.get(name)!.dependencies.map(finish));
  return Math.max(...nodes.map((n) => finish(n.name)));
}

describe('criticalPath', () => {
  it('is the heaviest dependency chain, and a real one', () => {
    fc.assert(
      fc.property(dagArbitrary(), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 12 }), (nodes, weights) => {
        const duration = (name: string) => weights[name.charCodeAt(4) - 97]!;
        const result = criticalPath(buildGraph(nodes), duration);
        expect(result.total).toBe(referenceLongest(nodes, duration));
        expect(result.path.reduce((sum, name) => sum + duration(name), 0)).toBe(result.total);
        const lookup = byName(nodes);
        for (let i = 1; i < result.path.length; i++) expect(lookup.get(result.path[i]!)!.dependencies).toContain(result.path[i - 1]);
        expect(lookup.get(result.path[0]!)!.dependencies).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('covers only what starting the targets would start', () => {
    const graph = buildGraph([
      { name: 'slow', order: 0, dependencies: [] },
      { name: 'db', order: 0, dependencies: [] },
      { name: 'api', order: 0, dependencies: ['db'] },
    ]);
    const durations: Record<string, number> = { slow: 9000, db: 300, api: 200 };
    expect(criticalPath(graph, (s) => durations[s]!, ['api'])).toEqual({ path: ['db', 'api'], total: 500 });
    expect(criticalPath(graph, (s) => durations[s]!)).toEqual({ path: ['slow'], total: 9000 });
  });
});

describe('conflictPairs', () => {
  const nodes = [
    { name: 'coredns', conflicts: ['dnsmasq'] },
    { name: 'dnsmasq', conflicts: [] },
    { name: 'a', conflicts: ['b'] },
    { name: 'b', conflicts: ['a'] },
  ];

  it('finds each active pair once, whichever side declared it', () => {
    expect(conflictPairs(nodes, ['coredns', 'dnsmasq', 'a', 'b'])).toEqual([
      ['coredns', 'dnsmasq'],
      ['a', 'b'],
    ]);
    expect(conflictPairs(nodes, ['dnsmasq', 'coredns'])).toEqual([['coredns', 'dnsmasq']]);
  });

  it('ignores pairs with an inactive side', () => {
    expect(conflictPairs(nodes, ['coredns', 'a'])).toEqual([]);
  });
});

describe('dependency trees', () => {
  const flatten = (tree: TreeNode): string[] => [tree.name, ...tree.children.flatMap(flatten)];

  it('show every transitive dependency, expanding each service once per tree', () => {
    fc.assert(
      fc.property(dagArbitrary(), fc.nat(), (nodes, n) => {
        const root = nodes[n % nodes.length]!.name;
        const tree = dependencyTree(buildGraph(nodes), root);
        const names = flatten(tree);
        expect(new Set(names)).toEqual(new Set([root, ...referenceDependencies(nodes, root)]));
        const expanded: string[] = [];
        const walk = (node: TreeNode): void => {
          if (!node.repeated) expanded.push(node.name);
          else expect(node.children).toEqual([]);
          node.children.forEach(walk);
        };
        walk(tree);
        expect(expanded.length).toBe(new Set(expanded).size);
      }),
      { numRuns: 300 },
    );
  });

  it('marks the second arrival at a diamond bottom as repeated', () => {
    const graph = buildGraph([
      { name: 'orchestrator', order: 10, dependencies: [] },
      { name: 'auth', order: 20, dependencies: ['orchestrator'] },
      { name: 'cache', order: 20, dependencies: ['orchestrator'] },
      { name: 'api', order: 40, dependencies: ['cache', 'auth'] },
    ]);
    expect(dependencyTree(graph, 'api')).toEqual({
      name: 'api',
      repeated: false,
      children: [
        { name: 'auth', repeated: false, children: [{ name: 'orchestrator', repeated: false, children: [] }] },
        { name: 'cache', repeated: false, children: [{ name: 'orchestrator', repeated: true, children: [] }] },
      ],
    });
    expect(dependencyForest(graph).map((t) => t.name)).toEqual(['api']);
    expect(dependencyForest(graph, 'dependents').map((t) => t.name)).toEqual(['orchestrator']);
  });
});

describe('exports', () => {
  const graph = buildGraph([
    { name: 'orchestrator', order: 10, dependencies: [] },
    { name: 'control-center', order: 20, dependencies: ['orchestrator'] },
  ]);

  it('writes Graphviz DOT with every node and edge', () => {
    expect(toDot(graph)).toBe(
      'digraph services {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n  "orchestrator";\n  "control-center";\n  "control-center" -> "orchestrator";\n}\n',
    );
  });

  it('writes Mermaid with safe ids and the names as labels', () => {
    expect(toMermaid(graph)).toBe('graph LR\n  s0["orchestrator"]\n  s1["control-center"]\n  s1 --> s0\n');
  });
});
