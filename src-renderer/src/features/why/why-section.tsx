/**
 * The Why section of a service's detail: the engine's `why` (why.ts) — its state and reason, the
 * chains down to the root causes (each root a button that selects it), the last lines of the
 * failing run, what preflight would refuse a start now, and, as history, the last platform start's
 * part in it and its critical path. Asked again whenever a service's state changes.
 */
import { useQuery } from '@tanstack/react-query';
import { formatDuration } from '@shared/model';
import { useClient } from '../../api/client-context';
import { useEvents } from '../../state/events-store';
import { useUi } from '../../state/ui-store';

export function WhySection({ name }: { name: string }) {
  const client = useClient();
  const select = useUi((s) => s.select);
  // Any change of state (its own, a root cause recovering) asks again — a health check passing does not.
  const version = useEvents((s) => s.events.at(-1)?.seq);
  const why = useQuery({ queryKey: ['why', name, version], queryFn: () => client.call('why', { name }), placeholderData: (previous) => previous });
  const report = why.data;
  return (
    <section className="why" aria-label={`Why ${name} is as it is`} data-testid="why">
      <h3>Why</h3>
      {why.error ? <p className="hint">Could not ask the engine: {why.error.message}</p> : null}
      {!report ? (
        why.error ? null : (
          <p className="hint">Asking the engine…</p>
        )
      ) : (
        <>
          <p>
            <strong>{report.status.name}</strong> is <span className="why-state">{report.status.state}</span>: {report.status.reason}
          </p>
          {report.chains.length > 0 ? (
            <ol className="why-chains" aria-label="What it waits on">
              {report.chains.map((chain) => (
                <li key={chain.map((s) => s.name).join('>')}>
                  {chain.map((status) => (
                    <div key={status.name} className="why-link">
                      ← needs <strong>{status.name}</strong>, {status.state}: {status.reason}
                    </div>
                  ))}
                </li>
              ))}
            </ol>
          ) : null}
          {report.roots.map((root) => (
            <p key={root} className="why-root">
              root cause:{' '}
              <button type="button" className="link" onClick={() => select(root)}>
                {root}
              </button>
            </p>
          ))}
          {report.logTail.length > 0 ? (
            <>
              <h4>Last lines of {report.roots[0] ?? name}</h4>
              <pre className="log-tail" tabIndex={0}>
                {report.logTail.join('\n')}
              </pre>
            </>
          ) : null}
          {report.refusals ? (
            <>
              <h4>A start now would be refused</h4>
              <ul className="why-refusals">
                {report.refusals.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </>
          ) : null}
          {report.lastStart ? (
            <div className="why-history">
              <h4>History: the last platform start ({new Date(report.lastStart.began).toLocaleTimeString()})</h4>
              <p>
                {report.lastStart.step
                  ? `${name} ${report.lastStart.step.outcome}${report.lastStart.step.began !== undefined ? ` after ${formatDuration(report.lastStart.step.began - report.lastStart.began)}` : ''}: ${report.lastStart.step.reason}`
                  : `${name} was not part of it`}
              </p>
              {report.lastStart.criticalPath.length > 0 ? (
                <p>
                  critical path ({formatDuration(report.lastStart.ended - report.lastStart.began)} in all):{' '}
                  {report.lastStart.criticalPath.map((step) => `${step.name} ${formatDuration(step.ms)}`).join(' → ')}
                </p>
              ) : null}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
