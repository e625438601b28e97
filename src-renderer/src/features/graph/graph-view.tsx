/**
 * The live dependency graph (React Flow): services laid out by dependency depth, coloured by state,
 * edges animated while a dependency starts, conflicts as red dashed links, services not run from
 * here (remote ones) as external nodes; grouped by label in foldable bands (group-layout.ts). Connect two nodes to add a dependency; select an edge and press Delete to remove
 * it; Ctrl+Z undoes. The critical path of the last start can be highlighted.
 */
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { Background, Controls, MiniMap, ReactFlow, type Connection, type Edge, type EdgeChange } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { toneOf } from '@shared/contract/state-meaning';
import { useClient, useHealthHistories, useRegistry, useUsageHistories } from '../../api/client-context';
import { DisabledByOverride } from '../../components/override-notes';
import { overridesOf } from '../../state/override-view';
import { useServices } from '../../state/services-store';
import { carrying, groupsOf } from '../../state/service-groups';
import { matchesSearch } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { layoutGraph } from './graph-layout';
import { edgeEnd, groupNodeId, layoutGroups } from './group-layout';
import { GroupNode, type GroupFlowNode } from './group-node';
import { ServiceNode, type ServiceFlowNode } from './service-node';
import { useDependencyEditing } from './use-dependency-editing';

const nodeTypes = { service: ServiceNode, 'group-header': GroupNode };
/** Past this, only what is on screen is rendered (it costs more than it saves on small graphs). */
const LARGE_GRAPH = 150;

/** `search` dims the services it does not match (by name, mode or description). */
export function GraphView({ search }: { search: string }) {
  const client = useClient();
  const { services, issues, file, overridden } = useRegistry();
  const { highlight, select, setHighlight } = useUi();
  const editing = useDependencyEditing();
  const states = useServices((s) => s.mirror?.services);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const histories = useHealthHistories();
  const usages = useUsageHistories();
  const lastStart = useQuery({ queryKey: ['lastStart'], queryFn: () => client.call('lastStart') });

  const collapsed = useUi((s) => s.collapsed);
  const structure = services.map((s) => `${s.name}<${s.dependencies.join(',')}#${(s.labels ?? []).join(',')}`).join(';');
  const groups = useMemo(() => groupsOf(services), [structure]);
  const grouped = groups.some((group) => group.label !== '');
  // Laid out again only when the structure (or a fold) changes, not on every fetch of the same graph.
  const { positions, bands } = useMemo(
    () => (grouped ? layoutGroups(services, groups, collapsed) : { positions: layoutGraph(services), bands: [] }),
    [structure, collapsed],
  );
  const groupOf = useMemo(() => new Map(groups.flatMap((group) => group.names.map((name) => [name, group.label] as const))), [groups]);
  const end = (name: string) => (grouped ? edgeEnd(name, groupOf, collapsed) : name);
  const marked = useMemo(() => new Set(highlight?.names ?? []), [highlight]);

  const nodes = useMemo<(ServiceFlowNode | GroupFlowNode)[]>(
    () => [
      ...bands.map(
        (band): GroupFlowNode => ({
          id: groupNodeId(band.group.label),
          type: 'group-header',
          position: band.position,
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
            data: {
              service,
              history: histories?.[service.name] ?? [],
              usage: usages?.[service.name] ?? [],
              mark: marked.has(service.name) ? highlight?.kind : undefined,
              dimmed: !matchesSearch(search, service.name, service.mode, service.description),
              overrides: overridesOf(overridden, service.name),
            },
          }),
        ),
    ],
    [services, positions, bands, histories, usages, marked, highlight, search, overridden],
  );

  const edges = useMemo<Edge[]>(() => {
    const known = new Set(services.map((s) => s.name));
    const onPath = (a: string, b: string) => marked.has(a) && marked.has(b);
    const dependencyEdges = services.flatMap((service) =>
      service.dependencies.flatMap((dependency) => {
        const [source, target] = [end(dependency), end(service.name)];
        // Into or out of a folded group: one edge to its header stands for them (not editable there).
        if (source !== dependency || target !== service.name) return source === target ? [] : [folded(source, target)];
        const id = `${dependency}->${service.name}`;
        const starting = toneOf(states?.get(dependency)?.state) === 'busy' || states?.get(service.name)?.state === 'starting';
        return {
          id,
          source: dependency,
          target: service.name,
          animated: starting,
          selected: selectedEdges.has(id),
          className: onPath(dependency, service.name) ? `edge-${highlight?.kind}` : undefined,
          ...(service.conditions?.[dependency] ? { label: service.conditions[dependency] } : {}),
          ariaLabel: `${service.name} depends on ${dependency}${service.conditions?.[dependency] ? ` (${service.conditions[dependency]})` : ''}`,
        };
      }),
    );
    const unique = new Map(dependencyEdges.map((edge) => [edge.id, edge]));
    const conflictEdges = services.flatMap((service) =>
      service.conflicts
        .filter((other) => known.has(other) && service.name < other && positions.has(service.name) && positions.has(other))
        .map((other) => ({
          id: `conflict:${service.name}:${other}`,
          source: service.name,
          target: other,
          className: 'edge-conflict',
          selectable: false,
          deletable: false,
          label: 'conflicts',
          ariaLabel: `${service.name} conflicts with ${other}`,
        })),
    );
    return [...unique.values(), ...conflictEdges];
  }, [services, states, selectedEdges, marked, highlight, positions]);

  const onConnect = (connection: Connection) => void editing.addDependency(connection.target, connection.source);
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
  const critical = lastStart.data?.criticalPath ?? [];
  const errors = issues.filter((i) => i.severity === 'error');

  return (
    <section className="graph-view" aria-label="Dependency graph">
      <div className="graph-toolbar" role="toolbar" aria-label="Graph">
        <button type="button" onClick={editing.undo} disabled={editing.undoable === 0} aria-label="Undo the last dependency edit" title="Undo (Ctrl+Z)">
          ↶ Undo
        </button>
        <button
          type="button"
          aria-pressed={highlight?.kind === 'critical'}
          disabled={critical.length === 0}
          onClick={() => setHighlight(highlight?.kind === 'critical' ? undefined : { kind: 'critical', names: critical })}
          title={critical.length ? `Critical path of the last start: ${critical.join(' → ')}` : 'No start recorded yet'}
        >
          Critical path
        </button>
        <span className="hint">Drag from a service&apos;s right edge to one that needs it; select an edge and press Delete to remove it.</span>
      </div>
      <DisabledByOverride />
      {errors.length > 0 ? (
        <div className="registry-errors" role="alert" data-testid="registry-errors">
          <strong>{file} is not valid — showing the last good graph.</strong>
          <ul>
            {errors.map((i) => (
              <li key={`${i.line}:${i.column}:${i.message}`}>
                {i.file}:{i.line}:{i.column} {i.path.join('.')}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="graph-canvas" data-testid="graph">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onConnect={onConnect}
          onEdgesChange={onEdgesChange}
          onEdgesDelete={onEdgesDelete}
          onNodeClick={(_, node) => node.type === 'service' && select(node.id)}
          onPaneClick={() => setHighlight(undefined)}
          nodesDraggable={false}
          nodesConnectable
          deleteKeyCode={['Delete', 'Backspace']}
          onlyRenderVisibleElements={services.length > LARGE_GRAPH}
          fitView
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
          {services.length > 12 ? <MiniMap pannable zoomable /> : null}
        </ReactFlow>
      </div>
    </section>
  );
}

/** The edge that stands for the dependencies between a folded group and a service (or another group). */
function folded(source: string, target: string): Edge {
  return { id: `${source}->${target}`, source, target, selectable: false, deletable: false, className: 'edge-folded' };
}
