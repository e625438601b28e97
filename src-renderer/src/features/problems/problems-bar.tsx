/**
 * The persistent problems bar (Tilt's status bar): error and warning counts (problems.ts says what
 * each counts) and the first of them in words; clicking a count opens the Events view filtered to
 * it, clicking the words opens it on that service. It also keeps the events timeline followed for
 * every view (events-store.ts), as it is always shown.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { problemsOf, type Problem } from '@shared/contract/problems';
import { useClient, useRegistry } from '../../api/client-context';
import { Tooltip } from '../../components/tooltip';
import { ownFault } from '../../state/cause-view';
import { followEvents, NO_FILTER, useEvents, type EventsFilter } from '../../state/events-store';
import { useServices } from '../../state/services-store';

/** How often the owner's warnings are asked for (they are few and change rarely). */
const WARNINGS_EVERY_MS = 15_000;

export function ProblemsBar({ onOpen }: { onOpen: () => void }) {
  const client = useClient();
  const { services } = useRegistry();
  const mirror = useServices((s) => s.mirror);
  const events = useEvents((s) => s.events);
  const setFilter = useEvents((s) => s.setFilter);
  const warnings = useQuery({ queryKey: ['warnings'], queryFn: () => client.call('warnings'), refetchInterval: WARNINGS_EVERY_MS });
  // A failure leaves the count once its window has passed, even when nothing else happens.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => followEvents(client), [client]);
  const statuses = mirror?.services ?? new Map();
  const { errors, warnings: warned } = problemsOf({
    statuses: [...statuses.values()],
    events,
    now,
    ownFault: ownFault(services, statuses),
    ownerWarnings: warnings.data ?? [],
  });
  const open = (filter: Partial<EventsFilter>) => {
    setFilter({ ...NO_FILTER, ...filter });
    onOpen();
  };
  const first: Problem | undefined = errors[0] ?? warned[0];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <div
      className={`problems-bar${errors.length ? ' has-errors' : warned.length ? ' has-warnings' : ''}`}
      role="status"
      aria-label="Problems"
      data-testid="problems-bar"
    >
      <Tooltip text={errors.length > 0 ? errors.map((p) => p.text).join('\n') : 'No errors now.'}>
        <button type="button" className="problems-count errors" onClick={() => open({ state: 'problems' })} data-testid="problems-errors">
          <span aria-hidden="true">✖</span> {plural(errors.length, 'error')}
        </button>
      </Tooltip>
      <Tooltip text={warned.length > 0 ? warned.map((p) => p.text).join('\n') : 'No warnings now.'}>
        <button type="button" className="problems-count warnings" onClick={() => open({})} data-testid="problems-warnings">
          <span aria-hidden="true">⚠</span> {plural(warned.length, 'warning')}
        </button>
      </Tooltip>
      {first ? (
        <button type="button" className="link problems-first" onClick={() => open(first.service ? { service: first.service } : {})}>
          {first.text}
        </button>
      ) : (
        <span className="problems-first hint">No problems</span>
      )}
    </div>
  );
}
