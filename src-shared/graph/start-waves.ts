/** Start waves: wave k holds the services whose longest dependency chain has k links. */
import { byRank, type DependencyGraph } from './dependency-graph';
import { topologicalIndices } from './topological-order';

export function startWaves(graph: DependencyGraph): string[][] {
  const level = new Int32Array(graph.names.length);
  const waves: number[][] = [];
  for (const node of topologicalIndices(graph)) {
    for (const dep of graph.deps[node]!) level[node] = Math.max(level[node]!, level[dep]! + 1);
    (waves[level[node]!] ??= []).push(node);
  }
  return waves.map((wave) => wave.sort(byRank(graph)).map((node) => graph.names[node]!));
}
