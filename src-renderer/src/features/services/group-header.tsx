/**
 * A group's header on the graph and above the cards: fold it, see how many of its services serve,
 * and Start group / Stop group (every service carrying the label, with what they need or what needs
 * them). The services without a label get a header without the buttons.
 */
import { SERVING } from '@shared/contract/state-meaning';
import { Tooltip } from '../../components/tooltip';
import { useServices } from '../../state/services-store';
import { UNGROUPED, type ServiceGroup } from '../../state/service-groups';
import { useUi } from '../../state/ui-store';
import { useGroupAction } from './use-service-actions';

export function GroupHeader({ group, actsOn }: { group: ServiceGroup; actsOn: readonly string[] }) {
  const collapsed = useUi((s) => s.collapsed.has(group.label));
  const toggleGroup = useUi((s) => s.toggleGroup);
  const serving = useServices((s) => group.names.filter((name) => SERVING.has(s.mirror?.services.get(name)?.state ?? 'stopped')).length);
  const title = group.label === UNGROUPED ? 'other' : group.label;
  return (
    <div className="group-header nodrag nopan" data-testid={`group-${title}`} role="group" aria-label={`${title} group`}>
      <button type="button" className="link group-toggle" aria-expanded={!collapsed} onClick={() => toggleGroup(group.label)}>
        <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span> {title}
      </button>
      <span className="count">
        {serving} of {group.names.length} serving
      </span>
      {group.label === UNGROUPED ? null : <GroupButtons label={group.label} actsOn={actsOn} />}
    </div>
  );
}

function GroupButtons({ label, actsOn }: { label: string; actsOn: readonly string[] }) {
  const { act, pending } = useGroupAction(label);
  return (
    <span className="group-actions">
      <Tooltip text={`Start ${actsOn.join(', ')} and what they need`}>
        <button type="button" disabled={pending !== undefined} onClick={() => act('start')} aria-label={`Start group ${label}`}>
          {pending === 'start' ? 'Starting…' : '▶ Start group'}
        </button>
      </Tooltip>
      <Tooltip text={`Stop ${actsOn.join(', ')} and what needs them`}>
        <button type="button" disabled={pending !== undefined} onClick={() => act('stop')} aria-label={`Stop group ${label}`}>
          {pending === 'stop' ? 'Stopping…' : '■ Stop group'}
        </button>
      </Tooltip>
    </span>
  );
}
