/** Transitive (or direct) dependencies and dependents of a set of services. */
import { indexOf, type DependencyGraph } from './dependency-graph';
import { startPositions } from './topological-order';

interface ClosureOptions {
  /** Follow the whole chain (default) or only direct edges. */
  readonly transitive?: boolean;
}

/** What the services need, not counting themselves, in start order. */
export function dependenciesOf(graph: DependencyGraph, names: readonly string[], options: ClosureOptions = {}): string[] {
  return closure(graph, graph.deps, names, options.transitive ?? true, 1);
}

/** What needs the services, not counting themselves, in stop order (dependents first). */
export function dependentsOf(graph: DependencyGraph, names: readonly string[], options: ClosureOptions = {}): string[] {
  return closure(graph, graph.dependents, names, options.transitive ?? true, -1);
}

/** The services plus everything they need, in start order: what `platform start names…` starts. */
export function startSet(graph: DependencyGraph, names: readonly string[]): string[] {
  return [...new Set([...dependenciesOf(graph, names), ...names])].sort(inStartOrder(graph));
}

/** The services plus everything that needs them, in stop order: what a cascading stop stops. */
export function blastRadius(graph: DependencyGraph, names: readonly string[]): string[] {
  return [...new Set([...dependentsOf(graph, names), ...names])].sort((a, b) => inStartOrder(graph)(b, a));
}

function inStartOrder(graph: DependencyGraph): (a: string, b: string) => number {
  const positions = startPositions(graph);
  return (a, b) => positions[indexOf(graph, a)]! - positions[indexOf(graph, b)]!;
}

function closure(graph: DependencyGraph, edges: readonly (readonly number[])[], names: readonly string[], transitive: boolean, direction: 1 | -1): string[] {
  const starts = names.map((name) => indexOf(graph, name));
  const seen = new Uint8Array(graph.names.length);
  const found: number[] = [];
  const queue = [...starts];
  for (let head = 0; head < queue.length; head++) {
    for (const next of edges[queue[head]!]!) {
      if (seen[next]) continue;
      seen[next] = 1;
      found.push(next);
      if (transitive) queue.push(next);
    }
  }
  const positions = startPositions(graph);
  const targets = new Set(starts);
  return found
    .filter((node) => !targets.has(node))
    .sort((a, b) => direction * (positions[a]! - positions[b]!))
    .map((node) => graph.names[node]!);
}
