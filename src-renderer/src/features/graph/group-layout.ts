/**
 * The graph's geometry: without labels, one layout (graph-layout.ts); grouped by label, each group a
 * band of its own under a header, the bands stacked top to bottom. A folded group is its header
 * alone: edges to its services end on the header instead (see edgeEnd). Each band keeps a free lane
 * below it, where edges between bands (and conflict links) run (edge-routes.ts).
 */
import type { ServiceGroup } from '../../state/service-groups';
import { layoutWithRoutes, NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Position } from './graph-layout';

export const HEADER_HEIGHT = 40;
/** The header as drawn (.graph-group): its edges' handles sit halfway down it. */
export const HEADER_BOX_HEIGHT = 32;
const BAND_GAP = 36;
/** Room for the header's name, count and buttons on one line, over a band of one column. */
const MIN_HEADER_WIDTH = 480;

export interface GroupBand {
  readonly group: ServiceGroup;
  readonly position: Position;
  readonly width: number;
}

export interface Box extends Position {
  readonly width: number;
  readonly height: number;
}

export interface GraphGeometry {
  readonly positions: Map<string, Position>;
  readonly bands: readonly GroupBand[];
  /** Every node's box by id: services, and group headers (groupNodeId). */
  readonly boxes: Map<string, Box>;
  /** Points between the ends of the dependency edges laid out within one band (edgeId). */
  readonly routes: Map<string, readonly Position[]>;
  /** The y of the free lane below the band of each node id. */
  readonly laneBelow: Map<string, number>;
}

export const groupNodeId = (label: string): string => `group:${label}`;

const serviceBox = ({ x, y }: Position): Box => ({ x, y, width: NODE_WIDTH, height: NODE_HEIGHT });

/** `grouped`: some service has a label (else one band without a header). */
export function graphGeometry(
  services: readonly LayoutInput[],
  groups: readonly ServiceGroup[],
  collapsed: ReadonlySet<string>,
  grouped: boolean,
): GraphGeometry {
  if (!grouped) {
    const { positions, routes } = layoutWithRoutes(services);
    const boxes = new Map([...positions].map(([name, position]) => [name, serviceBox(position)]));
    const lane = Math.max(0, ...[...boxes.values()].map((box) => box.y + box.height)) + BAND_GAP / 2;
    return { positions, bands: [], boxes, routes, laneBelow: new Map([...positions.keys()].map((name) => [name, lane])) };
  }
  const byName = new Map(services.map((s) => [s.name, s]));
  const positions = new Map<string, Position>();
  const routes = new Map<string, readonly Position[]>();
  const boxes = new Map<string, Box>();
  const laneBelow = new Map<string, number>();
  const bands: GroupBand[] = [];
  let top = 0;
  for (const group of groups) {
    const inner = collapsed.has(group.label) ? undefined : layoutWithRoutes(group.names.map((name) => byName.get(name)!));
    const shift = ({ x, y }: Position): Position => ({ x, y: top + HEADER_HEIGHT + y });
    let right = NODE_WIDTH;
    let bottom = 0;
    for (const [name, position] of inner?.positions ?? []) {
      positions.set(name, shift(position));
      boxes.set(name, serviceBox(shift(position)));
      right = Math.max(right, position.x + NODE_WIDTH);
      bottom = Math.max(bottom, position.y + NODE_HEIGHT);
    }
    for (const [id, points] of inner?.routes ?? []) routes.set(id, points.map(shift));
    const band = { group, position: { x: 0, y: top }, width: Math.max(right, MIN_HEADER_WIDTH) };
    bands.push(band);
    const header = groupNodeId(group.label);
    boxes.set(header, { ...band.position, width: band.width, height: HEADER_BOX_HEIGHT });
    top += HEADER_HEIGHT + bottom + BAND_GAP;
    for (const id of [header, ...(inner?.positions.keys() ?? [])]) laneBelow.set(id, top - BAND_GAP / 2);
  }
  return { positions, bands, boxes, routes, laneBelow };
}

/** Where an edge to `name` ends: the service, or the header of its folded group. */
export function edgeEnd(name: string, groupOf: ReadonlyMap<string, string>, collapsed: ReadonlySet<string>): string {
  const group = groupOf.get(name);
  return group !== undefined && collapsed.has(group) ? groupNodeId(group) : name;
}
