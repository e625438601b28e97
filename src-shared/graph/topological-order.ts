/** Start order: dependencies first, `order` (then name) as the tie-break among ready services. */
import { findCycles } from './cycles';
import type { DependencyGraph } from './dependency-graph';
import { MinHeap } from './min-heap';

export class DependencyCycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

const cache = new WeakMap<DependencyGraph, readonly number[]>();

/** Node indices in start order (Kahn's algorithm with a priority queue). Throws on a cycle. */
export function topologicalIndices(graph: DependencyGraph): readonly number[] {
  const cached = cache.get(graph);
  if (cached) return cached;
  const pending = graph.deps.map((deps) => deps.length);
  const ready = new MinHeap(graph.rank);
  pending.forEach((count, node) => count === 0 && ready.push(node));
  const order: number[] = [];
  for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
    order.push(node);
    for (const dependent of graph.dependents[node]!) if (--pending[dependent]! === 0) ready.push(dependent);
  }
  if (order.length < graph.names.length) throw new DependencyCycleError(findCycles(graph)[0]!);
  cache.set(graph, order);
  return order;
}

export function topologicalOrder(graph: DependencyGraph): string[] {
  return topologicalIndices(graph).map((node) => graph.names[node]!);
}

/** position[i]: where node i stands in the start order. */
export function startPositions(graph: DependencyGraph): Int32Array {
  const positions = new Int32Array(graph.names.length);
  topologicalIndices(graph).forEach((node, position) => (positions[node] = position));
  return positions;
}
