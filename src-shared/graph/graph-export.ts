/** The dependency graph as Graphviz DOT or Mermaid text. Arrows point from a service to what it needs. */
import { byRank, nodesByRank, type DependencyGraph } from './dependency-graph';

function edges(graph: DependencyGraph): [number, number][] {
  return nodesByRank(graph).flatMap((node) => [...graph.deps[node]!].sort(byRank(graph)).map((dep): [number, number] => [node, dep]));
}

export function toDot(graph: DependencyGraph): string {
  const quote = (node: number) => JSON.stringify(graph.names[node]);
  return [
    'digraph services {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded];',
    ...nodesByRank(graph).map((node) => `  ${quote(node)};`),
    ...edges(graph).map(([from, to]) => `  ${quote(from)} -> ${quote(to)};`),
    '}',
    '',
  ].join('\n');
}

export function toMermaid(graph: DependencyGraph): string {
  // Mermaid ids cannot hold every service name ("a-->b" is ambiguous), so ids are indices with labels.
  const id = (node: number) => `s${node}`;
  return [
    'graph LR',
    ...nodesByRank(graph).map((node) => `  ${id(node)}["${graph.names[node]}"]`),
    ...edges(graph).map(([from, to]) => `  ${id(from)} --> ${id(to)}`),
    '',
  ].join('\n');
}
