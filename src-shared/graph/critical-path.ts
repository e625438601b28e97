/** The chain of dependencies that bounds the wall time of a start, given each service's start duration. */
import { indexOf, type DependencyGraph } from './dependency-graph';
import { startSet } from './closure';
import { topologicalIndices } from './topological-order';

export interface CriticalPath {
  /** From the first service to start to the last to become ready. */
  readonly path: readonly string[];
  /** Sum of the durations along the path: the shortest possible wall time of the start. */
  readonly total: number;
}

/** Over the whole graph, or over what starting `targets` would start. */
export function criticalPath(graph: DependencyGraph, durationOf: (service: string) => number, targets?: readonly string[]): CriticalPath {
  const included = targets ? new Set(startSet(graph, targets).map((name) => indexOf(graph, name))) : undefined;
  const finish = new Float64Array(graph.names.length);
  const previous = new Int32Array(graph.names.length).fill(-1);
  let last = -1;
  for (const node of topologicalIndices(graph)) {
    if (included && !included.has(node)) continue;
    let ready = 0;
    for (const dep of graph.deps[node]!) {
      if (previous[node] === -1 || finish[dep]! > ready) {
        ready = finish[dep]!;
        previous[node] = dep;
      }
    }
    finish[node] = ready + durationOf(graph.names[node]!);
    if (last === -1 || finish[node]! > finish[last]!) last = node;
  }
  const path: string[] = [];
  for (let node = last; node !== -1; node = previous[node]!) path.unshift(graph.names[node]!);
  return { path, total: last === -1 ? 0 : finish[last]! };
}
