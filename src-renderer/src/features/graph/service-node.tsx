/**
 * One service on the graph: name, mode, state colour, links, an override badge, health sparkline and CPU sparkline. It reads its own status from
 * the store, so a state change re-renders this node only, not the whole graph.
 */
import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo } from 'react';
import type { GraphService } from '@shared/contract/registry';
import { notRunHere } from '@shared/contract/service-actions';
import { toneOf } from '@shared/contract/state-meaning';
import { ModeIcon } from '../../components/mode-icon';
import { OverrideBadge } from '../../components/override-notes';
import { ServiceLinks } from '../../components/service-links';
import { Sparkline } from '../../components/sparkline';
import { UsageSparkline, usageText } from '../../components/usage-sparkline';
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
};
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

function ServiceNodeView({ data, selected }: NodeProps<ServiceFlowNode>) {
  const { service, history, usage, mark, dimmed, overrides } = data;
  const status = useServices((s) => s.mirror?.services.get(service.name));
  const trouble = useServices((s) => (s.mirror ? troubleOf(status, service, s.mirror.services) : undefined));
  const state = status?.state ?? 'stopped';
  // Drawn dashed: it is watched from here at most (a remote service), never started or stopped.
  const external = status !== undefined && notRunHere(status);
  return (
    <div
      className={`service-node tone-${toneOf(state)}${service.kind === 'task' ? ' task' : ''}${external ? ' external' : ''}${selected ? ' selected' : ''}${mark ? ` mark-${mark}` : ''}${dimmed ? ' dimmed' : ''}`}
      title={trouble ?? `${service.name}${service.kind === 'task' ? ' (task)' : ''}: ${state}${service.description ? `\n${service.description}` : ''}`}
      data-testid={`node-${service.name}`}
      data-state={state}
      aria-label={`${service.name}, ${state}${trouble ? `: ${trouble}` : ''}`}
    >
      <Handle type="target" position={Position.Left} aria-label={`${service.name} depends on…`} />
      <div className="node-head">
        <ModeIcon mode={service.mode} />
        <span className="node-name">{service.name}</span>
        {service.kind === 'task' ? <span className="node-kind">task</span> : null}
        <OverrideBadge service={service.name} overrides={overrides} />
        <ServiceLinks links={service.links} compact />
      </div>
      <div className="node-foot">
        <span className="state-dot" aria-hidden="true" />
        <span className="node-state">{state}</span>
        {status?.health ? <span className="node-latency">{status.health.latencyMs.toFixed(0)} ms</span> : null}
        <Sparkline points={history} width={64} height={16} />
        {status?.usage ? (
          <span className="node-usage" title={usageText(status.usage)}>
            <UsageSparkline points={usage} width={48} height={16} />
          </span>
        ) : null}
      </div>
      <Handle type="source" position={Position.Right} aria-label={`…is needed by (drag to a service that needs ${service.name})`} />
    </div>
  );
}

export const ServiceNode = memo(ServiceNodeView);
