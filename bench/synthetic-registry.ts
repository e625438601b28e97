/** Seeded synthetic registries for benchmarks: n services, about `edges` dependencies each, always a valid DAG. */
import type { GraphNode } from '@shared/graph';

/** mulberry32: a small, fast, seeded PRNG so every run measures the same graphs. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticNodes(count: number, edges = 5, seed = 42): GraphNode[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const dependencies = new Set<string>();
    for (let e = 0; e < Math.min(edges, i); e++) dependencies.add(`svc-${Math.floor(next() * i)}`);
    // Orders rise with the index, so they agree with the dependencies (no warnings), with many ties.
    return { name: `svc-${i}`, order: Math.floor((i * 100) / count), dependencies: [...dependencies] };
  });
}

/** The same graph as registry TOML, as a user would write it. */
export function syntheticToml(nodes: readonly GraphNode[]): string {
  return nodes
    .map((node) =>
      [
        `[services.${node.name}]`,
        `order = ${node.order}`,
        `dependencies = [${node.dependencies.map((d) => JSON.stringify(d)).join(', ')}]`,
        'deployment = { mode = "binary", binary = { command = "node", args = ["service.mjs"] } }',
        'health_check = { type = "tcp", interval = "2s", timeout = "1s", tcp = { port = 4000 } }',
        '',
      ].join('\n'),
    )
    .join('\n');
}
