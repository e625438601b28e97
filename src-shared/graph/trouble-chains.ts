/** Why a service is held back: the chains of troubled dependencies behind it, down to their root causes. */
import { indexOf, type DependencyGraph } from './dependency-graph';

/**
 * Each chain starts at a troubled direct dependency and follows troubled dependencies until one whose
 * own dependencies are all fine: that last one is a root cause. `troubled(service, needer)`: the
 * edge from `needer` does not hold (its condition: a `started` dependency may be unhealthy). A dependency shared by several chains
 * is followed once.
 */
export function troubleChains(graph: DependencyGraph, name: string, troubled: (service: string, needer: string) => boolean): string[][] {
  const followed = new Set<number>();
  const chainsFrom = (node: number): string[][] => {
    const next = graph.deps[node]!.filter((dep) => troubled(graph.names[dep]!, graph.names[node]!) && !followed.has(dep));
    next.forEach((dep) => followed.add(dep));
    if (next.length === 0) return [[]];
    return next.flatMap((dep) => chainsFrom(dep).map((rest) => [graph.names[dep]!, ...rest]));
  };
  return chainsFrom(indexOf(graph, name)).filter((chain) => chain.length > 0);
}
