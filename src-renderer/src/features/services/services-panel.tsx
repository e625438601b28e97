/**
 * Every service as a row of the dense table (first) or as a card — a toggle remembered in ui-store —
 * and a line for those an override disabled, with search and a state filter; grouped by label
 * (service-groups.ts) when services have labels.
 */
import { useEffect, useMemo, useState } from 'react';
import { useHealthHistories, useRegistry, useUsageHistories } from '../../api/client-context';
import { DisabledByOverride } from '../../components/override-notes';
import { DriftBar } from '../drift/drift-bar';
import { useServices } from '../../state/services-store';
import { carrying, groupsOf } from '../../state/service-groups';
import { filterServices, type StateFilter } from '../../state/service-view';
import { useUi, type ServicesView } from '../../state/ui-store';
import { GroupHeader } from './group-header';
import { ServiceCard } from './service-card';
import { ServicesTable } from './services-table';

const FILTERS: readonly StateFilter[] = ['all', 'running', 'trouble', 'stopped'];
const VIEWS: readonly { id: ServicesView; label: string }[] = [
  { id: 'table', label: 'Table' },
  { id: 'cards', label: 'Cards' },
];

export function ServicesPanel({ search, onLogs }: { search: string; onLogs: (name: string) => void }) {
  const { services } = useRegistry();
  const mirror = useServices((s) => s.mirror);
  const [filter, setFilter] = useState<StateFilter>('all');
  const now = useNow(1_000);
  const histories = useHealthHistories();
  const usages = useUsageHistories();
  const byName = useMemo(() => new Map(services.map((s) => [s.name, s])), [services]);
  const descriptions = useMemo(() => new Map(services.map((s) => [s.name, s.description])), [services]);
  const shown = useMemo(() => filterServices([...(mirror?.services.values() ?? [])], search, filter, descriptions), [mirror, search, filter, descriptions]);
  const collapsed = useUi((s) => s.collapsed);
  const view = useUi((s) => s.servicesView);
  const setView = useUi((s) => s.setServicesView);
  // Grouped as the registry labels them; a status the registry no longer has is among the ungrouped.
  const groups = useMemo(() => {
    const rank = new Map(services.map((s, i) => [s.name, i]));
    const inOrder = [...shown].sort((a, b) => (rank.get(a.name) ?? rank.size) - (rank.get(b.name) ?? rank.size));
    return groupsOf(inOrder.map((status) => ({ name: status.name, labels: byName.get(status.name)?.labels })));
  }, [shown, services, byName]);
  const statusOf = useMemo(() => new Map(shown.map((s) => [s.name, s])), [shown]);
  const card = (name: string) => {
    const status = statusOf.get(name)!;
    return (
      <ServiceCard
        key={name}
        status={status}
        service={byName.get(name)}
        history={histories?.[name] ?? []}
        usage={usages?.[name] ?? []}
        now={now}
        onLogs={onLogs}
      />
    );
  };
  const grouped = groups.some((group) => group.label !== '');
  return (
    <section className="services-panel" aria-label="Services">
      <div className="filters" role="radiogroup" aria-label="Show">
        {FILTERS.map((f) => (
          <label key={f}>
            <input type="radio" name="state-filter" value={f} checked={filter === f} onChange={() => setFilter(f)} /> {f}
          </label>
        ))}
        <span className="count">
          {shown.length} of {mirror?.services.size ?? 0}
        </span>
        <span className="view-toggle" role="radiogroup" aria-label="View as">
          {VIEWS.map(({ id, label }) => (
            <label key={id}>
              <input type="radio" name="services-view" value={id} checked={view === id} onChange={() => setView(id)} /> {label}
            </label>
          ))}
        </span>
      </div>
      <DisabledByOverride />
      <DriftBar />
      {view === 'table' ? (
        <ServicesTable groups={groups} grouped={grouped} statuses={statusOf} services={services} now={now} />
      ) : grouped ? (
        groups.map((group) => (
          <section key={group.label} className="service-group" aria-label={`${group.label || 'other'} services`}>
            <GroupHeader group={group} actsOn={carrying(services, group.label)} />
            {collapsed.has(group.label) ? null : <div className="cards">{group.names.map(card)}</div>}
          </section>
        ))
      ) : (
        <div className="cards">{shown.map((status) => card(status.name))}</div>
      )}
    </section>
  );
}

/** The time now, refreshed at an interval (uptimes tick without an event). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
