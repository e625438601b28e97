/**
 * A service's trouble, where its node and card show it (cause-view.ts): its own reason when it is
 * at fault, "blocked by X" with a button that selects X when others hold it back, the countdown of
 * a pending automatic restart (ticking), and its recent failures ("crashed 4× in 10 min") from the
 * events timeline.
 */
import { useEffect, useMemo, useState } from 'react';
import { failureBadge, recentFailures } from '@shared/contract/problems';
import type { ServiceStatus } from '@shared/contract/service-state';
import { useRegistry } from '../api/client-context';
import { causeOf, countdown, type Cause } from '../state/cause-view';
import { useEvents } from '../state/events-store';
import { useServices } from '../state/services-store';
import { useUi } from '../state/ui-store';

/**
 * Its cause, as cause-view reads it from the live snapshot. Selected as text, so a change of another
 * service re-renders this one only when its own cause changes (a graph node each, not the graph).
 */
export function useCause(status: ServiceStatus | undefined): Cause {
  const { services } = useRegistry();
  const key = useServices((s) => JSON.stringify(causeOf(status, services, s.mirror?.services ?? new Map())));
  return useMemo(() => JSON.parse(key) as Cause, [key]);
}

/** The current time, every second while `active`. */
function useTicking(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}

export function ServiceCause({ status }: { status: ServiceStatus }) {
  const cause = useCause(status);
  const select = useUi((s) => s.select);
  const events = useEvents((s) => s.events);
  const now = useTicking(cause.retryAt !== undefined);
  const failures = recentFailures(events, now).get(status.name);
  if (cause.blockedBy.length === 0 && !cause.reason && cause.retryAt === undefined && !failures) return null;
  return (
    <div className="cause" data-testid={`cause-${status.name}`}>
      {cause.blockedBy.length > 0 ? (
        <span className="blocked-by">
          blocked by{' '}
          {cause.blockedBy.map((name, i) => (
            <span key={name}>
              {i > 0 ? ', ' : null}
              <button
                type="button"
                className="link nodrag"
                onClick={(event) => {
                  // On a graph node, the click selects the cause, not the node it is drawn on.
                  event.stopPropagation();
                  select(name);
                }}
                aria-label={`Select ${name}, which blocks ${status.name}`}
              >
                {name}
              </button>
            </span>
          ))}
        </span>
      ) : null}
      {cause.reason ? <span className="cause-reason">{cause.reason}</span> : null}
      {cause.retryAt !== undefined ? <span className="retry-countdown">next try {countdown(cause.retryAt, now)}</span> : null}
      {failures ? (
        <span className="failure-badge" data-testid={`failures-${status.name}`}>
          {failureBadge(failures)}
        </span>
      ) : null}
    </div>
  );
}
