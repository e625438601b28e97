/**
 * The graph grouped by label: each group a band of its own, laid out by layoutGraph, under a header,
 * the bands stacked top to bottom. A folded group is its header alone: edges to its services end on
 * the header instead (see edgeEnd).
 */
import type { ServiceGroup } from '../../state/service-groups';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Position } from './graph-layout';

export const HEADER_HEIGHT = 40;
const BAND_GAP = 36;
/** Room for the header's name, count and buttons on one line, over a band of one column. */
const MIN_HEADER_WIDTH = 480;

export interface GroupBand {
  readonly group: ServiceGroup;
  readonly position: Position;
  readonly width: number;
}

export interface GroupedLayout {
  readonly positions: Map<string, Position>;
  readonly bands: readonly GroupBand[];
}

export const groupNodeId = (label: string): string => `group:${label}`;

export function layoutGroups(services: readonly LayoutInput[], groups: readonly ServiceGroup[], collapsed: ReadonlySet<string>): GroupedLayout {
  const byName = new Map(services.map((s) => [s.name, s]));
  const positions = new Map<string, Position>();
  const bands: GroupBand[] = [];
  let top = 0;
  for (const group of groups) {
    const inner = collapsed.has(group.label) ? new Map<string, Position>() : layoutGraph(group.names.map((name) => byName.get(name)!));
    let right = NODE_WIDTH;
    let bottom = 0;
    for (const [name, { x, y }] of inner) {
      positions.set(name, { x, y: top + HEADER_HEIGHT + y });
      right = Math.max(right, x + NODE_WIDTH);
      bottom = Math.max(bottom, y + NODE_HEIGHT);
    }
    bands.push({ group, position: { x: 0, y: top }, width: Math.max(right, MIN_HEADER_WIDTH) });
    top += HEADER_HEIGHT + bottom + BAND_GAP;
  }
  return { positions, bands };
}

/** Where an edge to `name` ends: the service, or the header of its folded group. */
export function edgeEnd(name: string, groupOf: ReadonlyMap<string, string>, collapsed: ReadonlySet<string>): string {
  const group = groupOf.get(name);
  return group !== undefined && collapsed.has(group) ? groupNodeId(group) : name;
}
