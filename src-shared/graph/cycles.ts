/** Dependency cycles: strongly connected components (iterative Tarjan, safe on 10k-long chains). */
import type { DependencyGraph } from './dependency-graph';

/** One cycle per strongly connected component, as names `a → b → … → a` (a depends on b). */
export function findCycles(graph: DependencyGraph): string[][] {
  const count = graph.names.length;
  const discovered = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const nextEdge = new Int32Array(count);
  const stack: number[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  const discover = (node: number): void => {
    discovered[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
  };

  for (let root = 0; root < count; root++) {
    if (discovered[root] !== -1) continue;
    discover(root);
    const calls = [root];
    while (calls.length > 0) {
      const node = calls[calls.length - 1]!;
      const deps = graph.deps[node]!;
      if (nextEdge[node]! < deps.length) {
        const next = deps[nextEdge[node]!++]!;
        if (discovered[next] === -1) {
          discover(next);
          calls.push(next);
        } else if (onStack[next]) low[node] = Math.min(low[node]!, discovered[next]!);
        continue;
      }
      calls.pop();
      const caller = calls[calls.length - 1];
      if (caller !== undefined) low[caller] = Math.min(low[caller]!, low[node]!);
      if (low[node] !== discovered[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = 0;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.deps[node]!.includes(node)) cycles.push(cycleThrough(graph, component));
    }
  }
  return cycles;
}

/** The shortest cycle through the component's first service by priority (stable output). */
function cycleThrough(graph: DependencyGraph, component: readonly number[]): string[] {
  const inside = new Set(component);
  const start = component.reduce((best, node) => (graph.rank[node]! < graph.rank[best]! ? node : best));
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of graph.deps[node]!) {
      if (next === start) {
        // Walked back from the end, then reversed: linear however long the ring.
        const back: number[] = [];
        for (let at = node; at !== start; at = parent.get(at)!) back.push(at);
        return [start, ...back.reverse(), start].map((i) => graph.names[i]!);
      }
      if (inside.has(next) && !parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error('unreachable: a strongly connected component always has a cycle through each member');
}
