/**
 * One service on the graph: name, mode, state colour, links, an override badge, health sparkline and CPU sparkline. It reads its own status from
 * the store, so a state change re-renders this node only, not the whole graph.
 */
import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo } from 'react';
import type { GraphService } from '@shared/contract/registry';
import { notRunHere } from '@shared/contract/service-actions';
import { ModeIcon } from '../../components/mode-icon';
import { OverrideBadge } from '../../components/override-notes';
import { ServiceCause, useCause } from '../../components/service-cause';
import { ServiceLinks } from '../../components/service-links';
import { Sparkline } from '../../components/sparkline';
import { useTooltip } from '../../components/tooltip';
import { UsageSparkline, usageText } from '../../components/usage-sparkline';
import { DriftBadge } from '../drift/drift-badge';
import type { ServiceOverride } from '../../state/override-view';
import { useServices } from '../../state/services-store';
import { troubleOf } from '../../state/service-view';

export type ServiceNodeData = {
  service: GraphService;
  history: readonly { ok: boolean; latencyMs: number }[];
  /** CPU samples of its whole process tree (the second sparkline). */
  usage: readonly { cpuPercent: number }[];
  mark: 'blast' | 'critical' | 'cycle' | undefined;
  /** Not matched by the search: drawn faintly. */
  dimmed: boolean;
  /** What override files set in it (a badge). */
  overrides: readonly ServiceOverride[];
  /** The graph's one tab stop (roving focus: arrow keys move it, graph-view.tsx). */
  focusable: boolean;
  /** How long its last start took, shown while the critical path is highlighted. */
  took: number | undefined;
};
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

function ServiceNodeView({ data, selected }: NodeProps<ServiceFlowNode>) {
  const { service, history, usage, mark, dimmed, overrides, focusable, took } = data;
  const status = useServices((s) => s.mirror?.services.get(service.name));
  const trouble = useServices((s) => (s.mirror ? troubleOf(status, service, s.mirror.services) : undefined));
  const state = status?.state ?? 'stopped';
  // Red when it is at fault, amber and naming the cause when others hold it back (cause-view.ts).
  const cause = useCause(status);
  // Drawn dashed: it is watched from here at most (a remote service), never started or stopped.
  const external = status !== undefined && notRunHere(status);
  // What the node does not show: its trouble in full, its description, its usage figures (name and state are on it).
  const explained = [trouble, service.description, status?.usage ? usageText(status.usage) : undefined].filter(Boolean).join('\n');
  const tooltip = useTooltip<HTMLDivElement>(explained);
  return (
    <div
      {...(explained ? tooltip.anchor : {})}
      className={`service-node tone-${cause.tone}${service.kind === 'task' ? ' task' : ''}${external ? ' external' : ''}${selected ? ' selected' : ''}${mark ? ` mark-${mark}` : ''}${dimmed ? ' dimmed' : ''}`}
      data-testid={`node-${service.name}`}
      data-state={state}
      role="group"
      aria-roledescription="service"
      tabIndex={focusable ? 0 : -1}
      aria-describedby={explained ? `graph-keys ${tooltip.id}` : 'graph-keys'}
      aria-label={`${service.name}, ${state}${trouble ? `: ${trouble}` : ''}`}
    >
      {/* Handles are for the mouse (a plain div may not carry a name); the keyboard edits in the side card's list. */}
      <Handle type="target" position={Position.Left} />
      <div className="node-head">
        <ModeIcon mode={service.mode} />
        <span className="node-name">{service.name}</span>
        {service.kind === 'task' ? <span className="node-kind">task</span> : null}
        <OverrideBadge service={service.name} overrides={overrides} />
        <DriftBadge service={service.name} />
        <ServiceLinks links={service.links} compact />
      </div>
      <div className="node-foot">
        <span className="state-dot" aria-hidden="true" />
        <span className="node-state">{cause.label}</span>
        {took !== undefined ? <span className="node-took">{formatTook(took)}</span> : null}
        {status?.health ? <span className="node-latency">{status.health.latencyMs.toFixed(0)} ms</span> : null}
        <Sparkline points={history} width={64} height={16} />
        {status?.usage ? (
          <span className="node-usage">
            <UsageSparkline points={usage} width={48} height={16} />
          </span>
        ) : null}
      </div>
      {status ? <ServiceCause status={status} /> : null}
      <Handle type="source" position={Position.Right} />
      {tooltip.popover}
    </div>
  );
}

export const ServiceNode = memo(ServiceNodeView);

const formatTook = (ms: number) => (ms < 1_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1_000).toFixed(1)} s`);
