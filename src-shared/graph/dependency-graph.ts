/**
 * The dependency graph of a registry, indexed for linear-time algorithms on tens of thousands of
 * services. Edges point from a service to what it depends on.
 */

export interface GraphNode {
  readonly name: string;
  /** Startup priority among services that are ready at the same time (lower first). */
  readonly order: number;
  readonly dependencies: readonly string[];
}

export interface DependencyGraph {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** deps[i]: indices of what service i depends on. */
  readonly deps: readonly (readonly number[])[];
  /** dependents[i]: indices of the services that depend on service i. */
  readonly dependents: readonly (readonly number[])[];
  /** rank[i]: position of service i when sorted by (order, name); the tie-break everywhere. */
  readonly rank: readonly number[];
}

export class UnknownServiceError extends Error {
  constructor(readonly service: string) {
    super(`unknown service '${service}'`);
    this.name = 'UnknownServiceError';
  }
}

/** Builds the graph. Every dependency must name a node (the registry checks guarantee it). */
export function buildGraph(nodes: readonly GraphNode[]): DependencyGraph {
  const names = nodes.map((node) => node.name);
  const index = new Map(names.map((name, i) => [name, i]));
  const dependents: number[][] = nodes.map(() => []);
  const deps = nodes.map((node, i) =>
    [...new Set(node.dependencies)].map((dependency) => {
      const target = index.get(dependency);
      if (target === undefined) throw new UnknownServiceError(dependency);
      dependents[target]!.push(i);
      return target;
    }),
  );
  const byPriority = names.map((_, i) => i).sort((a, b) => nodes[a]!.order - nodes[b]!.order || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Array<number>(nodes.length);
  byPriority.forEach((node, position) => (rank[node] = position));
  return { names, index, deps, dependents, rank };
}

export function indexOf(graph: DependencyGraph, name: string): number {
  const i = graph.index.get(name);
  if (i === undefined) throw new UnknownServiceError(name);
  return i;
}

export const byRank =
  (graph: DependencyGraph) =>
  (a: number, b: number): number =>
    graph.rank[a]! - graph.rank[b]!;

/** All node indices by priority: (order, name). */
export function nodesByRank(graph: DependencyGraph): number[] {
  return graph.names.map((_, node) => node).sort(byRank(graph));
}
