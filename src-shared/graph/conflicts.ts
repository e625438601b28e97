/** Declared conflicts: services that must not run at the same time. A declaration on either side counts. */

export interface ConflictNode {
  readonly name: string;
  readonly conflicts: readonly string[];
}

/** Pairs of active services that conflict, each pair once, in declaration order. */
export function conflictPairs(nodes: readonly ConflictNode[], active: Iterable<string>): [string, string][] {
  const running = new Set(active);
  const pairs = new Map<string, [string, string]>();
  for (const node of nodes) {
    if (!running.has(node.name)) continue;
    for (const other of node.conflicts) {
      if (other === node.name || !running.has(other)) continue;
      const key = [node.name, other].sort().join('\u0000');
      if (!pairs.has(key)) pairs.set(key, [node.name, other]);
    }
  }
  return [...pairs.values()];
}
