/**
 * Positions for the dependency graph, layered from the graph itself instead of a general layout
 * engine: a service's column is the length of its longest chain of dependencies, and each column is
 * ordered by the barycenter of its neighbours (a few sweeps cut most crossings). Linear in the edges
 * (about a millisecond for 500 services, where dagre costs seconds of main thread), deterministic,
 * and stable when an edge changes. An edge that spans columns gets a lane of its own in each column
 * it crosses (a virtual node, ordered with the rest), so it passes between nodes, never under one.
 */
export interface LayoutInput {
  readonly name: string;
  readonly dependencies: readonly string[];
}

export interface Position {
  readonly x: number;
  readonly y: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 76;
export const COLUMN_GAP = 90;
const ROW_GAP = 26;
/** The height a long edge's lane takes in a column it crosses. */
const LANE_HEIGHT = 12;
const SWEEPS = 4;

/** Positions, and for each dependency edge (`dependency->service`) the points it passes through between its ends. */
export interface Layout {
  readonly positions: Map<string, Position>;
  readonly routes: Map<string, readonly Position[]>;
}

export const edgeId = (dependency: string, service: string): string => `${dependency}->${service}`;

/** Columns by dependency depth; a cycle (an invalid registry never gets here) is cut where it closes. */
export function layoutWithRoutes(services: readonly LayoutInput[]): Layout {
  const index = new Map(services.map((s, i) => [s.name, i]));
  const deps = services.map((s) => s.dependencies.map((d) => index.get(d)).filter((d): d is number => d !== undefined));
  const depth = new Int32Array(services.length).fill(-1);
  const visiting = new Uint8Array(services.length);
  const depthOf = (start: number): number => {
    // Iterative post-order: chains thousands long must not overflow the stack.
    const stack = [start];
    while (stack.length > 0) {
      const node = stack[stack.length - 1]!;
      if (depth[node]! >= 0) {
        stack.pop();
        continue;
      }
      visiting[node] = 1;
      const pending = deps[node]!.find((d) => depth[d]! < 0 && !visiting[d]);
      if (pending !== undefined) {
        stack.push(pending);
        continue;
      }
      depth[node] = deps[node]!.reduce((max, d) => Math.max(max, depth[d]! + 1), 0);
      visiting[node] = 0;
      stack.pop();
    }
    return depth[start]!;
  };
  services.forEach((_, i) => depthOf(i));

  // Nodes past the services are lanes: one per column a long edge crosses, chained from its dependency to its service.
  const level = Array.from(depth);
  const laneDeps: number[][] = deps.map(() => []);
  const lanes: { id: string; chain: number[] }[] = [];
  deps.forEach((list, i) =>
    list.forEach((d) => {
      const chain: number[] = [];
      let previous = d;
      // A cycle's closing edge (depth not increasing) gets no lanes: it is drawn straight.
      for (let column = depth[d]! + 1; column < depth[i]!; column++) {
        const lane = level.push(column) - 1;
        laneDeps.push([previous]);
        chain.push(lane);
        previous = lane;
      }
      laneDeps[i]!.push(previous);
      lanes.push({ id: edgeId(services[d]!.name, services[i]!.name), chain });
    }),
  );
  const laneDependents: number[][] = level.map(() => []);
  laneDeps.forEach((list, i) => list.forEach((d) => laneDependents[d]!.push(i)));
  const columns: number[][] = [];
  level.forEach((column, i) => (columns[column] ??= []).push(i));

  const row = new Float64Array(level.length);
  for (const column of columns) column.forEach((node, r) => (row[node] = r));
  const reorder = (column: number[], neighbours: readonly (readonly number[])[]) => {
    const centre = (node: number) => {
      const list = neighbours[node]!;
      return list.length === 0 ? row[node]! : list.reduce((sum, n) => sum + row[n]!, 0) / list.length;
    };
    const keyed = column.map((node) => [centre(node), node] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    keyed.forEach(([, node], r) => {
      column[r] = node;
      row[node] = r;
    });
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    if (sweep % 2 === 0) columns.slice(1).forEach((column) => reorder(column, laneDeps));
    else
      columns
        .slice(0, -1)
        .reverse()
        .forEach((column) => reorder(column, laneDependents));
  }

  const height = (node: number) => (node < services.length ? NODE_HEIGHT : LANE_HEIGHT);
  const columnHeight = (column: readonly number[]) => column.reduce((sum, node) => sum + height(node), 0) + ROW_GAP * Math.max(0, column.length - 1);
  const tallest = Math.max(0, ...columns.map(columnHeight));
  const top = new Float64Array(level.length);
  const positions = new Map<string, Position>();
  columns.forEach((column, x) => {
    // Columns are centred on the tallest one, so short columns sit in the middle.
    let y = (tallest - columnHeight(column)) / 2;
    for (const node of column) {
      top[node] = y;
      if (node < services.length) positions.set(services[node]!.name, { x: x * (NODE_WIDTH + COLUMN_GAP), y });
      y += height(node) + ROW_GAP;
    }
  });
  const routes = new Map<string, readonly Position[]>();
  for (const { id, chain } of lanes) {
    const points = chain.flatMap((lane) => {
      const [x, y] = [level[lane]! * (NODE_WIDTH + COLUMN_GAP), top[lane]! + LANE_HEIGHT / 2];
      return [
        { x, y },
        { x: x + NODE_WIDTH, y },
      ];
    });
    routes.set(id, points);
  }
  return { positions, routes };
}
