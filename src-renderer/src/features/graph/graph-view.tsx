/**
 * The live dependency graph (React Flow): services laid out by dependency depth, coloured by state,
 * edges animated while a dependency starts and routed around the nodes they do not touch
 * (edge-routes.ts), conflicts as red dashed links, services not run from here (remote ones) as
 * external nodes; grouped by label in foldable bands (group-layout.ts). Connect two nodes to add a
 * dependency; select an edge and press Delete to remove it; Ctrl+Z undoes. The critical path of the
 * last start can be highlighted, with how long each of its services took. The view refits whenever
 * its room or the graph's structure changes. Keyboard: the graph is one tab stop; arrow keys move
 * between nodes by position, Enter opens the focused one.
 */
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import {
  Background,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Dimensions,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { toneOf } from '@shared/contract/state-meaning';
import { useClient, useHealthHistories, useRegistry, useUsageHistories } from '../../api/client-context';
import { DisabledByOverride } from '../../components/override-notes';
import { Tooltip } from '../../components/tooltip';
import { GraphControls } from './graph-controls';
import { overridesOf } from '../../state/override-view';
import { useServices } from '../../state/services-store';
import { carrying, groupsOf } from '../../state/service-groups';
import { matchesSearch } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { graphEdges, routeOf } from './edge-routes';
import { NODE_HEIGHT, NODE_WIDTH } from './graph-layout';
import { edgeEnd, graphGeometry, groupNodeId } from './group-layout';
import { GroupNode, type GroupFlowNode } from './group-node';
import { RoutedEdge, type RoutedFlowEdge } from './routed-edge';
import { ServiceNode, type ServiceFlowNode } from './service-node';
import { isDirection, nearestInDirection } from './spatial-nav';
import { useDependencyEditing } from './use-dependency-editing';
import { OpenAtLine } from '../file-viewer/open-at-line';

const nodeTypes = { service: ServiceNode, 'group-header': GroupNode };
const edgeTypes = { routed: RoutedEdge };
/** Past this, only what is on screen is rendered (it costs more than it saves on small graphs). */
const LARGE_GRAPH = 150;
const FIT = { padding: 0.12 };

/** `search` dims the services it does not match (by name, mode or description). */
export function GraphView({ search }: { search: string }) {
  const client = useClient();
  const { services, issues, file, overridden } = useRegistry();
  const { highlight, select, selected, setHighlight } = useUi();
  const editing = useDependencyEditing();
  const states = useServices((s) => s.mirror?.services);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  // The size React Flow measured of each node, handed back on every node we build: a node object
  // without it is taken as new, hidden until measured again and its handles dropped, which loses a
  // click or the keyboard focus landing in between (and blinks the edges).
  const [measured, setMeasured] = useState<ReadonlyMap<string, Dimensions>>(new Map());
  const histories = useHealthHistories();
  const usages = useUsageHistories();
  const lastStart = useQuery({ queryKey: ['lastStart'], queryFn: () => client.call('lastStart') });
  // A start that finished shows as services turning ok: the last start (and its critical path) is asked again then.
  const serving = useServices((s) => [...(s.mirror?.services.values() ?? [])].filter((status) => toneOf(status.state) === 'ok').length);
  const { refetch } = lastStart;
  useEffect(() => void refetch(), [serving, refetch]);

  const collapsed = useUi((s) => s.collapsed);
  const structure = services.map((s) => `${s.name}<${s.dependencies.join(',')}#${(s.labels ?? []).join(',')}!${s.conflicts.join(',')}`).join(';');
  const groups = useMemo(() => groupsOf(services), [structure]);
  const grouped = groups.some((group) => group.label !== '');
  // Laid out again only when the structure (or a fold) changes, not on every fetch of the same graph.
  const geometry = useMemo(() => graphGeometry(services, groups, collapsed, grouped), [structure, collapsed]);
  const { positions, bands } = geometry;
  const groupOf = useMemo(() => new Map(groups.flatMap((group) => group.names.map((name) => [name, group.label] as const))), [groups]);
  const marked = useMemo(() => new Set(highlight?.names ?? []), [highlight]);
  const took = useMemo(() => {
    if (highlight?.kind !== 'critical') return new Map<string, number>();
    const steps = lastStart.data?.steps ?? [];
    return new Map(steps.flatMap((step) => (step.began !== undefined && step.ended !== undefined ? [[step.name, step.ended - step.began] as const] : [])));
  }, [highlight, lastStart.data]);

  // Roving focus: one node holds the graph's tab stop (the selected one, else the first).
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const focusable =
    cursor !== undefined && positions.has(cursor) ? cursor : selected !== undefined && positions.has(selected) ? selected : positions.keys().next().value;

  const nodes = useMemo<(ServiceFlowNode | GroupFlowNode)[]>(
    () => [
      ...bands.map(
        (band): GroupFlowNode => ({
          id: groupNodeId(band.group.label),
          type: 'group-header',
          position: band.position,
          measured: measured.get(groupNodeId(band.group.label)),
          selectable: false,
          data: { group: band.group, actsOn: carrying(services, band.group.label), width: band.width },
        }),
      ),
      ...services
        .filter((service) => positions.has(service.name))
        .map(
          (service): ServiceFlowNode => ({
            id: service.name,
            type: 'service',
            position: positions.get(service.name) ?? { x: 0, y: 0 },
            measured: measured.get(service.name),
            // The selection is the app's (the side card shows it), not React Flow's own.
            selected: service.name === selected,
            // A service leaves the graph by an edit of the file, never by Delete: else Delete on a selected
            // edge would remove the selected node's every edge with it.
            deletable: false,
            data: {
              service,
              history: histories?.[service.name] ?? [],
              usage: usages?.[service.name] ?? [],
              mark: marked.has(service.name) ? highlight?.kind : undefined,
              dimmed: !matchesSearch(search, service.name, service.mode, service.description),
              overrides: overridesOf(overridden, service.name),
              focusable: service.name === focusable,
              took: took.get(service.name),
            },
          }),
        ),
    ],
    [services, positions, bands, measured, histories, usages, marked, highlight, search, overridden, selected, focusable, took],
  );

  const edges = useMemo<RoutedFlowEdge[]>(() => {
    const onPath = (a: string, b: string) => marked.has(a) && marked.has(b);
    const end = (name: string) => (grouped ? edgeEnd(name, groupOf, collapsed) : name);
    return graphEdges(services, geometry, end).map((edge): RoutedFlowEdge => {
      const route = { type: 'routed' as const, data: { route: routeOf(edge, geometry) } };
      const base = { id: edge.id, source: edge.source, target: edge.target, ...route };
      if (edge.kind === 'folded') return { ...base, selectable: false, deletable: false, className: 'edge-folded' };
      if (edge.kind === 'conflict')
        return {
          ...base,
          className: 'edge-conflict',
          selectable: false,
          deletable: false,
          label: 'conflicts',
          ariaLabel: `${edge.source} conflicts with ${edge.target}`,
        };
      const service = services.find((s) => s.name === edge.target);
      const condition = service?.conditions?.[edge.source];
      const starting = toneOf(states?.get(edge.source)?.state) === 'busy' || states?.get(edge.target)?.state === 'starting';
      return {
        ...base,
        animated: starting,
        selected: selectedEdges.has(edge.id),
        className: onPath(edge.source, edge.target) ? `edge-${highlight?.kind}` : undefined,
        ...(condition ? { label: condition } : {}),
        ariaLabel: `${edge.target} depends on ${edge.source}${condition ? ` (${condition})` : ''}`,
      };
    });
  }, [services, geometry, states, selectedEdges, marked, highlight, grouped, groupOf, collapsed]);

  const onConnect = (connection: Connection) => void editing.addDependency(connection.target, connection.source);
  const onNodesChange = (changes: NodeChange[]) => {
    const sizes = changes.flatMap((change) => (change.type === 'dimensions' && change.dimensions ? [[change.id, change.dimensions] as const] : []));
    if (sizes.length > 0) setMeasured((current) => new Map([...current, ...sizes]));
  };
  const onEdgesChange = (changes: EdgeChange[]) =>
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const change of changes) {
        if (change.type !== 'select') continue;
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next;
    });
  const onEdgesDelete = (deleted: Edge[]) => {
    // A deleted edge is no longer selected, so one brought back by undo comes back unselected.
    setSelectedEdges((current) => new Set([...current].filter((id) => !deleted.some((e) => e.id === id))));
    deleted.filter((e) => !e.id.startsWith('conflict:')).forEach((e) => void editing.removeDependency(e.target, e.source));
  };
  const open = (name: string) => {
    // Looking at something else ends a highlight that was about something past (a refused cycle).
    if (highlight?.kind === 'cycle') setHighlight(undefined);
    select(name);
    setCursor(name);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Keys on the node itself, not on a link or button inside it.
    const target = event.target as HTMLElement;
    const from = target.classList.contains('service-node') ? target.getAttribute('data-testid')?.replace(/^node-/, '') : undefined;
    if (from === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(from);
      return useUi.getState().openDetail(from);
    }
    if (!isDirection(event.key)) return;
    event.preventDefault();
    const centres = new Map([...positions].map(([name, p]) => [name, { x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 }]));
    const next = nearestInDirection(from, centres, event.key);
    if (next === undefined) return;
    setCursor(next);
    document.querySelector<HTMLElement>(`.service-node[data-testid="node-${CSS.escape(next)}"]`)?.focus();
  };
  const critical = lastStart.data?.criticalPath ?? [];
  const errors = issues.filter((i) => i.severity === 'error');

  return (
    <section className="graph-view" aria-label="Dependency graph">
      <div className="graph-toolbar" role="toolbar" aria-label="Graph">
        <Tooltip text="Undo the last dependency edit (Ctrl+Z)">
          <button type="button" onClick={editing.undo} disabled={editing.undoable === 0} aria-label="Undo the last dependency edit">
            ↶ Undo
          </button>
        </Tooltip>
        <Tooltip
          text={critical.length ? `The chain that bounded the last start: ${critical.join(' → ')}; each node shows how long it took.` : 'No start recorded yet'}
        >
          <button
            type="button"
            aria-pressed={highlight?.kind === 'critical'}
            disabled={critical.length === 0}
            onClick={() => setHighlight(highlight?.kind === 'critical' ? undefined : { kind: 'critical', names: critical })}
          >
            Critical path
          </button>
        </Tooltip>
        <span className="hint" id="graph-keys">
          Arrow keys move between services, Enter opens one. Drag from a service&apos;s right edge to one that needs it; select an edge and press Delete to
          remove it.
        </span>
      </div>
      <DisabledByOverride />
      {errors.length > 0 ? (
        <div className="registry-errors" role="alert" data-testid="registry-errors">
          <strong>{file} is not valid — showing the last good graph.</strong>
          <ul>
            {errors.map((i) => (
              <li key={`${i.line}:${i.column}:${i.message}`}>
                {i.file}:{i.line}:{i.column} {i.path.join('.')}: {i.message} <OpenAtLine issue={i} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="graph-canvas" data-testid="graph" onKeyDown={onKeyDown} onFocus={(event) => keyboardFocus(event.target, setCursor)}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onConnect={onConnect}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onEdgesDelete={onEdgesDelete}
          onNodeClick={(_, node) => node.type === 'service' && open(node.id)}
          onPaneClick={() => setHighlight(undefined)}
          nodesDraggable={false}
          nodesConnectable
          // The nodes hold one roving tab stop themselves; edges are edited from the side card's list by keyboard.
          nodesFocusable={false}
          edgesFocusable={false}
          disableKeyboardA11y
          deleteKeyCode={['Delete', 'Backspace']}
          onlyRenderVisibleElements={services.length > LARGE_GRAPH}
          fitView
          fitViewOptions={FIT}
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} />
          <GraphControls fit={FIT} />
          {services.length > 12 ? <MiniMap pannable zoomable /> : null}
          <RefitOnChange structure={`${structure}|${[...collapsed].join(',')}`} />
        </ReactFlow>
      </div>
    </section>
  );
}

/**
 * A node that got focus by keyboard holds the tab stop from now on (a click moves it in `open`).
 * Not on a mouse focus: re-rendering the nodes between its pointerdown and pointerup loses the click.
 */
function keyboardFocus(target: EventTarget, setCursor: (name: string) => void): void {
  if (!(target as HTMLElement).matches?.(':focus-visible')) return;
  const name = (target as HTMLElement)
    .closest?.('.service-node')
    ?.getAttribute('data-testid')
    ?.replace(/^node-/, '');
  if (name !== undefined) setCursor(name);
}

/**
 * Fits the whole graph again when the room for it changes (the side card opening or closing, the
 * window resized) or the graph's structure does (an edit, a fold): nothing ends up hidden under the
 * side card or off screen. A zoom of the person's own stays until one of those happens.
 */
function RefitOnChange({ structure }: { structure: string }) {
  const { fitView } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(FIT);
  }, [width, height, structure, fitView]);
  return null;
}
