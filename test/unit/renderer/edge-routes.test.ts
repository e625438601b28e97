/**
 * The graph's edges never pass under a node they do not touch: every drawn segment (a line, or a
 * curve by the box of its control points, which holds the curve) misses the box of every node but
 * the edge's own two — on the demo registry, and on random graphs with random groups, folded
 * groups and conflict links. The ends are where React Flow puts them: just outside the handles.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { graphEdges, routeOf, segmentsOf, type EdgeInput, type Segment } from '../../../src-renderer/src/features/graph/edge-routes';
import { edgeEnd, graphGeometry, type Box } from '../../../src-renderer/src/features/graph/group-layout';
import { groupsOf } from '../../../src-renderer/src/state/service-groups';
import { dagArbitrary } from '../../support/random-graphs';

type Input = EdgeInput & { readonly labels?: readonly string[] };
/** React Flow's handles stick out 5 px from the node's side; an edge starts and ends at their outer edge. */
const HANDLE = 5;

/** Every segment that crosses a node other than its ends, as text (empty: none). */
function crossings(services: readonly Input[], collapsed: ReadonlySet<string> = new Set()): string[] {
  const groups = groupsOf(services);
  const grouped = groups.some((group) => group.label !== '');
  const geometry = graphGeometry(services, groups, collapsed, grouped);
  const groupOf = new Map(groups.flatMap((group) => group.names.map((name) => [name, group.label] as const)));
  const found: string[] = [];
  for (const edge of graphEdges(services, geometry, (name) => (grouped ? edgeEnd(name, groupOf, collapsed) : name))) {
    const [source, target] = [geometry.boxes.get(edge.source)!, geometry.boxes.get(edge.target)!];
    const from = { x: source.x + source.width + HANDLE, y: source.y + source.height / 2 };
    const to = { x: target.x - HANDLE, y: target.y + target.height / 2 };
    for (const segment of segmentsOf(routeOf(edge, geometry), from, to))
      for (const [id, box] of geometry.boxes) if (id !== edge.source && id !== edge.target && crosses(segment, box)) found.push(`${edge.id} under ${id}`);
  }
  return found;
}

function crosses(segment: Segment, box: Box): boolean {
  if (segment.kind === 'curve') {
    const xs = [segment.from.x, segment.c1.x, segment.c2.x, segment.to.x];
    const ys = [segment.from.y, segment.c1.y, segment.c2.y, segment.to.y];
    return Math.min(...xs) < box.x + box.width && Math.max(...xs) > box.x && Math.min(...ys) < box.y + box.height && Math.max(...ys) > box.y;
  }
  // Liang–Barsky: does the line from → to enter the box's open interior?
  const [dx, dy] = [segment.to.x - segment.from.x, segment.to.y - segment.from.y];
  let [low, high] = [0, 1];
  const sides: [number, number][] = [
    [-dx, segment.from.x - box.x],
    [dx, box.x + box.width - segment.from.x],
    [-dy, segment.from.y - box.y],
    [dy, box.y + box.height - segment.from.y],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) low = Math.max(low, t);
    else high = Math.min(high, t);
  }
  return high - low > 1e-9;
}

describe('edge routes', () => {
  it('send no edge of the demo registry under another node (indexer → web passes api by)', () => {
    const { registry } = parseRegistry(readFileSync(new URL('../../../config/demo.toml', import.meta.url), 'utf8'), 'demo.toml');
    const services = registry!.services.map((s) => ({ name: s.name, dependencies: s.dependencies, conflicts: s.conflicts }));
    expect(services.find((s) => s.name === 'web')?.dependencies).toContain('indexer');
    expect(crossings(services)).toEqual([]);
  });

  it('send no edge under another node on random graphs, grouped or not, folded or not, with conflict links', () => {
    const labelled = fc.tuple(
      dagArbitrary(12),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    );
    fc.assert(
      fc.property(labelled, ([nodes, labels, conflictPicks, folds]) => {
        const grouping = labels.some((label) => label > 0);
        const services: Input[] = nodes.map((node, i) => ({
          name: node.name,
          dependencies: node.dependencies,
          conflicts: conflictPicks.filter((pick) => pick % nodes.length !== i).map((pick) => nodes[pick % nodes.length]!.name),
          // Label 0 stands for none; without any label the graph is one band without a header.
          ...(grouping && labels[i]! > 0 ? { labels: [`g${labels[i]}`] } : {}),
        }));
        const collapsed = new Set(['', 'g1', 'g2', 'g3'].filter((_, i) => folds[i]));
        expect(crossings(services, grouping ? collapsed : new Set())).toEqual([]);
      }),
      { numRuns: 300, seed: 20 },
    );
  });
});
