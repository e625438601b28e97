/** Dependency trees for display: what a service needs (or what needs it), nested. */
import { byRank, indexOf, nodesByRank, type DependencyGraph } from './dependency-graph';

export interface TreeNode {
  readonly name: string;
  readonly children: readonly TreeNode[];
  /** Already expanded earlier in the same tree; its children are not repeated (as `npm ls` dedupes). */
  readonly repeated: boolean;
}

export type TreeDirection = 'dependencies' | 'dependents';

export function dependencyTree(graph: DependencyGraph, name: string, direction: TreeDirection = 'dependencies'): TreeNode {
  const edges = direction === 'dependencies' ? graph.deps : graph.dependents;
  const expanded = new Set<number>();
  const grow = (node: number): TreeNode => {
    const name = graph.names[node]!;
    if (expanded.has(node)) return { name, children: [], repeated: true };
    expanded.add(node);
    return { name, children: [...edges[node]!].sort(byRank(graph)).map(grow), repeated: false };
  };
  return grow(indexOf(graph, name));
}

/** One tree per top-level service: those nothing depends on (or, for dependents, that depend on nothing). */
export function dependencyForest(graph: DependencyGraph, direction: TreeDirection = 'dependencies'): TreeNode[] {
  const incoming = direction === 'dependencies' ? graph.dependents : graph.deps;
  return nodesByRank(graph)
    .filter((node) => incoming[node]!.length === 0)
    .map((node) => dependencyTree(graph, graph.names[node]!, direction));
}
