/** Every service as a card, with search and a state filter. */
import { useEffect, useMemo, useState } from 'react';
import { useHealthHistories, useRegistry, useUsageHistories } from '../../api/client-context';
import { useServices } from '../../state/services-store';
import { filterServices, type StateFilter } from '../../state/service-view';
import { ServiceCard } from './service-card';

const FILTERS: readonly StateFilter[] = ['all', 'running', 'trouble', 'stopped'];

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
      </div>
      <div className="cards">
        {shown.map((status) => (
          <ServiceCard
            key={status.name}
            status={status}
            service={byName.get(status.name)}
            history={histories?.[status.name] ?? []}
            usage={usages?.[status.name] ?? []}
            now={now}
            onLogs={onLogs}
          />
        ))}
      </div>
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
