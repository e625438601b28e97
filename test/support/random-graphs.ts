/** fast-check generators of dependency graphs, and slow obvious reference algorithms to compare against. */
import fc from 'fast-check';
import type { GraphNode } from '@shared/graph';

/** A DAG: service i may depend only on services listed before it; names and orders are shuffled. */
export const dagArbitrary = (maxNodes = 9): fc.Arbitrary<GraphNode[]> =>
  fc.integer({ min: 1, max: maxNodes }).chain((count) =>
    fc
      .tuple(
        fc.shuffledSubarray(NAMES, { minLength: count, maxLength: count }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: count, maxLength: count }),
        fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: count, maxLength: count }),
      )
      .map(([names, orders, picks]) =>
        names.map((name, i) => ({
          name,
          order: orders[i]!,
          dependencies: i === 0 ? [] : [...new Set(picks[i]!.map((pick) => names[pick % i]!))],
        })),
      ),
  );

/** Any directed graph (cycles and self-loops allowed). */
export const digraphArbitrary = (maxNodes = 8): fc.Arbitrary<GraphNode[]> =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((count) =>
      fc
        .array(fc.array(fc.nat({ max: count - 1 }), { maxLength: 3 }), { minLength: count, maxLength: count })
        .map((picks) => picks.map((targets, i) => ({ name: NAMES[i]!, order: 0, dependencies: [...new Set(targets.map((t) => NAMES[t]!))] }))),
    );

const NAMES = Array.from({ length: 12 }, (_, i) => `svc-${String.fromCharCode(97 + i)}`);

export const byName = (nodes: readonly GraphNode[]) => new Map(nodes.map((node) => [node.name, node]));

/** Everything `name` needs, by plain recursion. */
export function referenceDependencies(nodes: readonly GraphNode[], name: string): Set<string> {
  const lookup = byName(nodes);
  const found = new Set<string>();
  const visit = (current: string): void => {
    for (const dep of lookup.get(current)!.dependencies) {
      if (found.has(dep)) continue;
      found.add(dep);
      visit(dep);
    }
  };
  visit(name);
  found.delete(name);
  return found;
}

export function referenceHasCycle(nodes: readonly GraphNode[]): boolean {
  const lookup = byName(nodes);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string): boolean => {
    if (state.get(name) === 'open') return true;
    if (state.get(name) === 'done') return false;
    state.set(name, 'open');
    const cyclic = lookup.get(name)!.dependencies.some(visit);
    state.set(name, 'done');
    return cyclic;
  };
  return nodes.some((node) => visit(node.name));
}
