/**
 * A service's card: state, health (last result, latency, sparkline), usage (CPU and memory, sparkline), uptime, what runs it, ports,
 * restarts, last exit, mode, links and what an override file set — with Start / Stop / Restart, each enabled when the status allows it
 * (pending while acting). Hovering or focusing Stop shows on the graph what would stop with it.
 */
import type { GraphService } from '@shared/contract/registry';
import { actionsOf, notRunHere } from '@shared/contract/service-actions';
import { isRunning, type ServiceAction, type ServiceStatus } from '@shared/contract/service-state';
import { ModeIcon } from '../../components/mode-icon';
import { OverrideBadge } from '../../components/override-notes';
import { ServiceCause, useCause } from '../../components/service-cause';
import { ServiceLinks } from '../../components/service-links';
import { Sparkline } from '../../components/sparkline';
import { UsageSparkline, usageText } from '../../components/usage-sparkline';
import { useRegistry } from '../../api/client-context';
import { DriftBadge } from '../drift/drift-badge';
import { overridesOf, overrideText } from '../../state/override-view';
import { useServices } from '../../state/services-store';
import { formatUptime, stopImpact } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { useServiceAction } from './use-service-actions';
import { WatchToggle } from './watch-toggle';

interface Props {
  readonly status: ServiceStatus;
  readonly service: GraphService | undefined;
  readonly history?: readonly { ok: boolean; latencyMs: number }[];
  /** CPU samples of its whole process tree, oldest first. */
  readonly usage?: readonly { cpuPercent: number }[];
  readonly now: number;
  readonly onLogs?: (name: string) => void;
}

export function ServiceCard({ status, service, history = [], usage = [], now, onLogs }: Props) {
  const { act, pending } = useServiceAction(status.name);
  const { services, overridden } = useRegistry();
  const overrides = overridesOf(overridden, status.name);
  const { select, setHighlight } = useUi.getState();
  const running = isRunning(status);
  // Red when it is at fault, amber and naming the cause when others hold it back (cause-view.ts).
  const cause = useCause(status);
  const actions = actionsOf(status);
  const cannot = (action: ServiceAction) => pending !== undefined || !actions.includes(action);
  const runsAs = status.workload ?? (status.pid ? `pid ${status.pid}` : undefined);
  const showBlast = () => {
    const dependents = stopImpact(services, useServices.getState().mirror?.services ?? new Map(), status.name);
    setHighlight({ kind: 'blast', names: [status.name, ...dependents] });
  };
  return (
    <article
      className={`service-card tone-${cause.tone}`}
      data-testid={`card-${status.name}`}
      data-state={status.state}
      aria-label={`${status.name}: ${status.state}`}
    >
      <header>
        <ModeIcon mode={status.mode} />
        <button type="button" className="link card-name" onClick={() => select(status.name)}>
          {status.name}
        </button>
        <OverrideBadge service={status.name} overrides={overrides} />
        <DriftBadge service={status.name} />
        <span className="state-badge" aria-label={`state ${cause.label}`}>
          {cause.label}
        </span>
      </header>
      {cause.reason || cause.blockedBy.length > 0 ? null : <p className="reason">{status.reason}</p>}
      <ServiceCause status={status} />
      <WatchToggle status={status} />
      {service?.description ? <p className="description">{service.description}</p> : null}
      <dl className="facts">
        {status.health ? (
          <>
            <dt>health</dt>
            <dd>
              {status.health.ok ? 'passing' : 'failing'} · {status.health.latencyMs.toFixed(0)} ms <Sparkline points={history} />
              <span className="health-message">{status.health.message}</span>
            </dd>
          </>
        ) : null}
        {status.usage ? (
          <>
            <dt>usage</dt>
            <dd>
              {usageText(status.usage)} <UsageSparkline points={usage} />
            </dd>
          </>
        ) : null}
        {status.engineHealth ? (
          <>
            <dt>image check</dt>
            <dd>{status.engineHealth}</dd>
          </>
        ) : null}
        {running && status.startedAt ? (
          <>
            <dt>uptime</dt>
            <dd>{formatUptime(now - status.startedAt)}</dd>
          </>
        ) : null}
        {runsAs ? (
          <>
            <dt>runs as</dt>
            <dd>{runsAs}</dd>
          </>
        ) : null}
        {(service?.links ?? status.links)?.length ? (
          <>
            <dt>open</dt>
            <dd>
              <ServiceLinks links={service?.links ?? status.links} />
            </dd>
          </>
        ) : null}
        {service?.ports.length ? (
          <>
            <dt>ports</dt>
            <dd>{service.ports.join(', ')}</dd>
          </>
        ) : null}
        {overrides.length ? (
          <>
            <dt>override</dt>
            <dd className="override-keys">{overrideText(overrides)}</dd>
          </>
        ) : null}
        <dt>restarts</dt>
        <dd>{status.restarts}</dd>
        {status.lastExit ? (
          <>
            <dt>last exit</dt>
            <dd>{status.lastExit.reason}</dd>
          </>
        ) : null}
      </dl>
      {status.logTail?.length ? (
        <pre className="log-tail" tabIndex={0}>
          {status.logTail.slice(-5).join('\n')}
        </pre>
      ) : null}
      <footer>
        {notRunHere(status) ? (
          <span className="hint">not started or stopped from here</span>
        ) : (
          <>
            <button type="button" disabled={cannot('start')} onClick={() => act('start')} aria-label={`Start ${status.name}`}>
              {pending === 'start' ? 'Starting…' : 'Start'}
            </button>
            <button
              type="button"
              disabled={cannot('stop')}
              onClick={() => act('stop')}
              onMouseEnter={showBlast}
              onMouseLeave={() => setHighlight(undefined)}
              onFocus={showBlast}
              onBlur={() => setHighlight(undefined)}
              aria-label={`Stop ${status.name}`}
            >
              {pending === 'stop' || pending === 'stop-cascade' ? 'Stopping…' : 'Stop'}
            </button>
            <button type="button" disabled={cannot('restart')} onClick={() => act('restart')} aria-label={`Restart ${status.name}`}>
              {pending === 'restart' ? 'Restarting…' : 'Restart'}
            </button>
          </>
        )}
        <button type="button" className="link" onClick={() => useUi.getState().openDetail(status.name)} aria-label={`Details of ${status.name}`}>
          Details
        </button>
        {onLogs ? (
          <button type="button" className="link" onClick={() => onLogs(status.name)} aria-label={`Logs of ${status.name}`}>
            Logs
          </button>
        ) : null}
      </footer>
    </article>
  );
}
