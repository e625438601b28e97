/**
 * The graph's edges as data, and the way each is drawn so that it never passes under a node it does
 * not touch. A dependency within one band follows the lanes its layout gave it (graph-layout.ts):
 * S-curves across the gaps between columns, straight through its lane in each column it crosses.
 * Every other edge (between bands, to a folded group, a conflict link) goes around: out into the
 * gap right of its source, down to the free lane below the band, along the left gutter to the lane
 * below the target's band, up the gap left of the target and in. Gaps, lanes and the gutter hold no
 * nodes, so neither does any segment; a curve stays inside the box of its control points, and those
 * lie in one gap.
 */
import { COLUMN_GAP, edgeId, type Position } from './graph-layout';
import type { GraphGeometry } from './group-layout';

export interface EdgeInput {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly conflicts: readonly string[];
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** dependency: an editable edge between two services; folded: stands for those into or out of a folded group. */
  readonly kind: 'dependency' | 'folded' | 'conflict';
}

export type Segment =
  | { readonly kind: 'line'; readonly from: Position; readonly to: Position }
  | { readonly kind: 'curve'; readonly from: Position; readonly c1: Position; readonly c2: Position; readonly to: Position };

export interface Route {
  /** curved: through lanes; square: around, with rounded corners. */
  readonly style: 'curved' | 'square';
  /** Between the edge's ends (which the graph knows from its handles). */
  readonly points: readonly Position[];
}

/** The edges the graph draws: `end` maps a service to itself or its folded group's header. */
export function graphEdges(services: readonly EdgeInput[], geometry: GraphGeometry, end: (name: string) => string): GraphEdge[] {
  const edges = new Map<string, GraphEdge>();
  for (const service of services)
    for (const dependency of service.dependencies) {
      const [source, target] = [end(dependency), end(service.name)];
      // Into or out of a folded group: one edge to its header stands for them (not editable there).
      if (source !== dependency || target !== service.name) {
        if (source !== target) edges.set(`${source}->${target}`, { id: `${source}->${target}`, source, target, kind: 'folded' });
      } else edges.set(edgeId(dependency, service.name), { id: edgeId(dependency, service.name), source, target, kind: 'dependency' });
    }
  const known = new Set(services.map((s) => s.name));
  for (const service of services)
    for (const other of service.conflicts)
      if (known.has(other) && service.name < other && geometry.positions.has(service.name) && geometry.positions.has(other))
        edges.set(`conflict:${service.name}:${other}`, { id: `conflict:${service.name}:${other}`, source: service.name, target: other, kind: 'conflict' });
  return [...edges.values()];
}

export function routeOf(edge: GraphEdge, geometry: GraphGeometry): Route {
  const lanes = edge.kind === 'dependency' ? geometry.routes.get(edge.id) : undefined;
  if (lanes) return { style: 'curved', points: lanes };
  const [source, target] = [geometry.boxes.get(edge.source), geometry.boxes.get(edge.target)];
  const [below, belowTarget] = [geometry.laneBelow.get(edge.source), geometry.laneBelow.get(edge.target)];
  if (!source || !target || below === undefined || belowTarget === undefined) return { style: 'curved', points: [] };
  const [fromY, toY] = [source.y + source.height / 2, target.y + target.height / 2];
  const [out, into, gutter] = [source.x + source.width + COLUMN_GAP / 2, target.x - COLUMN_GAP / 2, -COLUMN_GAP / 2];
  const via =
    below === belowTarget
      ? [{ x: into, y: below }]
      : [
          { x: gutter, y: below },
          { x: gutter, y: belowTarget },
          { x: into, y: belowTarget },
        ];
  const points = [{ x: out, y: fromY }, { x: out, y: below }, ...via, { x: into, y: toY }];
  return { style: 'square', points: points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y) };
}

/** What is drawn from the source handle to the target handle. */
export function segmentsOf(route: Route, from: Position, to: Position): Segment[] {
  const all = [from, ...route.points, to];
  return all.slice(1).map((end, i): Segment => {
    const start = all[i]!;
    // Curved routes alternate: a gap to cross (even), a lane to run straight through (odd).
    if (route.style === 'square' || i % 2 === 1) return { kind: 'line', from: start, to: end };
    const middle = (start.x + end.x) / 2;
    return { kind: 'curve', from: start, c1: { x: middle, y: start.y }, c2: { x: middle, y: end.y }, to: end };
  });
}

const CORNER = 6;

/** SVG path data of the segments; a square route's corners rounded. */
export function pathOf(route: Route, segments: readonly Segment[]): string {
  const first = segments[0]!.from;
  if (route.style === 'curved')
    return `M${first.x},${first.y}${segments.map((s) => (s.kind === 'curve' ? `C${s.c1.x},${s.c1.y} ${s.c2.x},${s.c2.y} ${s.to.x},${s.to.y}` : `L${s.to.x},${s.to.y}`)).join('')}`;
  let path = `M${first.x},${first.y}`;
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    if (!next) return void (path += `L${segment.to.x},${segment.to.y}`);
    const corner = segment.to;
    const r = Math.min(CORNER, distance(segment.from, corner) / 2, distance(corner, next.to) / 2);
    const before = towards(corner, segment.from, r);
    const after = towards(corner, next.to, r);
    path += `L${before.x},${before.y}Q${corner.x},${corner.y} ${after.x},${after.y}`;
  });
  return path;
}

/** Where a label sits: halfway along the last segment, beside the target. */
export function labelPoint(segments: readonly Segment[]): Position {
  const last = segments.at(-1)!;
  return { x: (last.from.x + last.to.x) / 2, y: (last.from.y + last.to.y) / 2 };
}

const distance = (a: Position, b: Position) => Math.hypot(b.x - a.x, b.y - a.y);
function towards(from: Position, to: Position, length: number): Position {
  const d = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) * length) / d, y: from.y + ((to.y - from.y) * length) / d };
}
