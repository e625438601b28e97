/**
 * The Events view (key e): the owner's timeline of state changes, newest first — time, service,
 * from → to, reason — filterable by service, state ("problems": failures and refusals) and text.
 * A row's service selects it; its "log" opens the Logs view of that service at the entry's own
 * lifecycle line (the entry keeps its seq; the view loads older lines to reach it: ui-store.ts).
 */
import { useMemo } from 'react';
import type { TimelineEvent } from '@shared/contract/service-state';
import { SERVICE_STATES } from '@shared/contract/service-state';
import { toneOf } from '@shared/contract/state-meaning';
import { useRegistry } from '../../api/client-context';
import { NO_FILTER, useEvents, type EventsFilter } from '../../state/events-store';
import { matchesSearch } from '../../state/service-view';
import { useUi } from '../../state/ui-store';

interface Props {
  readonly onService: (name: string) => void;
  readonly onLogs: (name: string) => void;
}

/** A failure of the service itself or a start refused: what the problems bar counts as an error. */
const isProblem = (event: TimelineEvent) => toneOf(event.to) === 'bad' || (event.to === 'blocked' && event.reason.startsWith('cannot start'));

export function matchesFilter(event: TimelineEvent, { service, state, text }: EventsFilter): boolean {
  if (service && event.service !== service) return false;
  if (state === 'problems' ? !isProblem(event) : state && event.to !== state) return false;
  return matchesSearch(text, event.service, event.from ?? '', event.to, event.reason);
}

/** How an entry's new state reads: a failure with a restart due says so ("failed · restarting (backoff)"). */
const toLabel = (event: TimelineEvent) => (event.to === 'failed' && event.retryAt !== undefined ? 'failed · restarting (backoff)' : event.to);

export function EventsView({ onService, onLogs }: Props) {
  const { services } = useRegistry();
  const events = useEvents((s) => s.events);
  const filter = useEvents((s) => s.filter);
  const setFilter = useEvents((s) => s.setFilter);
  const shown = useMemo(() => events.filter((e) => matchesFilter(e, filter)).reverse(), [events, filter]);
  const names = useMemo(() => [...new Set([...services.map((s) => s.name), ...events.map((e) => e.service)])].sort(), [services, events]);
  return (
    <section className="events-view" aria-label="Events">
      <div className="events-filters" role="search">
        <label>
          Service{' '}
          <select aria-label="Service" value={filter.service} onChange={(e) => setFilter({ service: e.target.value })}>
            <option value="">all</option>
            {names.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select aria-label="State" value={filter.state} onChange={(e) => setFilter({ state: e.target.value })}>
            <option value="">all</option>
            <option value="problems">problems</option>
            {SERVICE_STATES.map((state) => (
              <option key={state}>{state}</option>
            ))}
          </select>
        </label>
        <input type="search" placeholder="Filter events" aria-label="Filter events" value={filter.text} onChange={(e) => setFilter({ text: e.target.value })} />
        <span className="hint" aria-live="polite">
          {shown.length} of {events.length}
        </span>
        {filter.service || filter.state || filter.text ? (
          <button type="button" className="link" onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        ) : null}
      </div>
      {shown.length === 0 ? (
        <p className="hint">{events.length === 0 ? 'No state changes recorded yet.' : 'No event matches the filters.'}</p>
      ) : (
        <table className="events-table" data-testid="events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Service</th>
              <th scope="col">Change</th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="sr-only">Log</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((event) => (
              <tr key={event.seq} data-testid="event-row" data-to={event.to}>
                <td>
                  <time dateTime={new Date(event.at).toISOString()}>{new Date(event.at).toLocaleTimeString()}</time>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => onService(event.service)} aria-label={`Select ${event.service}`}>
                    {event.service}
                  </button>
                </td>
                <td className="event-change">
                  {event.from ? <span className={`event-state tone-${toneOf(event.from)}`}>{event.from}</span> : null}
                  {event.from ? ' → ' : null}
                  <span className={`event-state tone-${toneOf(event.to)}`}>{toLabel(event)}</span>
                </td>
                <td className="event-reason">{event.reason}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      if (event.logSeq) useUi.getState().revealLog(event.service, event.logSeq);
                      onLogs(event.service);
                    }}
                    aria-label={`Log of ${event.service}${event.logSeq ? ` at line ${event.logSeq}` : ''}`}
                  >
                    log
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
