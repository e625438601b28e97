/**
 * The parts of a service's detail view that ask the owner: its definition as shown (names of its
 * environment, never values), the health check's full history, its TOML blocks as the files have
 * them with its log file, and its events. Each refreshes while the view is open: history every 2 s,
 * the events when the service's state changes, the definition and source when the registry does.
 */
import { useQuery } from '@tanstack/react-query';
import type { ServiceStatus } from '@shared/contract/service-state';
import { useClient } from '../../api/client-context';
import { fileName } from '../../state/override-view';
import { definitionView, type Fact } from '../../state/definition-view';

const time = (at: number) => new Date(at).toLocaleTimeString();

function Facts({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl className="facts">
      {facts.map((fact) => (
        <div key={fact.key}>
          <dt>{fact.key}</dt>
          <dd>{fact.text}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DefinitionSection({ name }: { name: string }) {
  const client = useClient();
  const definitions = useQuery({ queryKey: ['detail', 'definitions'], queryFn: () => client.call('definitions') });
  const definition = definitions.data?.services?.find((s) => s.name === name);
  if (definitions.isLoading) return <p className="hint">Loading its definition…</p>;
  if (!definition) return <p className="hint">{definitions.error ? definitions.error.message : 'Not in the registry file as it is now.'}</p>;
  const view = definitionView(definition);
  return (
    <>
      <section aria-labelledby="detail-runs">
        <h3 id="detail-runs">Runs ({view.mode})</h3>
        <Facts facts={view.runs} />
      </section>
      <section aria-labelledby="detail-env">
        <h3 id="detail-env">Environment</h3>
        {view.env.length === 0 && view.envFiles.length === 0 ? <p className="hint">Nothing set beyond the manager’s own environment.</p> : null}
        {view.env.length > 0 ? (
          <ul className="env-names" data-testid="env-names">
            {view.env.map((env) => (
              <li key={env.name}>
                <code>{env.name}</code> <span className="hint">{env.source}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {view.envFiles.length > 0 ? <p className="hint">Also the variables of {view.envFiles.join(', ')} (values never shown here).</p> : null}
      </section>
      <section aria-labelledby="detail-health-check">
        <h3 id="detail-health-check">Health check</h3>
        {view.health ? <Facts facts={view.health} /> : <p className="hint">None: it counts as healthy while it runs.</p>}
      </section>
    </>
  );
}

export function HealthHistory({ name }: { name: string }) {
  const client = useClient();
  const history = useQuery({ queryKey: ['detail', 'history', name], queryFn: () => client.call('history', { name }), refetchInterval: 2_000 });
  const results = [...(history.data ?? [])].reverse();
  return (
    <section aria-labelledby="detail-history">
      <h3 id="detail-history">Health history ({results.length})</h3>
      {results.length === 0 ? (
        <p className="hint">No check has run since the owner started.</p>
      ) : (
        // Focusable: once the history is long enough to scroll, a keyboard must reach its rows too.
        <div className="detail-scroll" tabIndex={0} role="region" aria-labelledby="detail-history">
          <table className="history" aria-labelledby="detail-history">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Result</th>
                <th scope="col" className="num">
                  Latency
                </th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {results.map((result) => (
                <tr key={`${result.at}`}>
                  <td>{time(result.at)}</td>
                  <td className={result.ok ? 'pass' : 'fail'}>{result.ok ? '✓ passed' : '✗ failed'}</td>
                  <td className="num">{result.latencyMs.toFixed(0)} ms</td>
                  <td>{result.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function SourceSection({ name }: { name: string }) {
  const client = useClient();
  const source = useQuery({ queryKey: ['detail', 'source', name], queryFn: () => client.call('serviceSource', { name }) });
  return (
    <section aria-labelledby="detail-source">
      <h3 id="detail-source">In the file</h3>
      {source.error ? <p className="hint">{source.error.message}</p> : null}
      {source.data?.blocks.length === 0 ? <p className="hint">No [services.{name}] table in the files (defined as dotted keys?).</p> : null}
      {/* Every block, also a sub-table kept apart and each override file's: the definition is all of them. */}
      {source.data?.blocks.map((block) => (
        <figure key={`${block.file}:${block.line}`} className="toml-block">
          <figcaption>
            <code>{block.file}</code>, line {block.line}
            {block.truncated ? ' (cut: the block is longer than shown)' : ''}
          </figcaption>
          <pre data-testid={`toml-${fileName(block.file)}-${block.line}`} tabIndex={0}>
            {block.text}
          </pre>
        </figure>
      ))}
      {source.data ? (
        <p>
          Log file: <code data-testid="log-file">{source.data.logFile}</code>
        </p>
      ) : null}
    </section>
  );
}

export function EventsSection({ status }: { status: ServiceStatus }) {
  const client = useClient();
  const events = useQuery({
    queryKey: ['detail', 'events', status.name, status.state, status.since],
    queryFn: () => client.call('events', { service: status.name, limit: 100 }),
    placeholderData: (previous) => previous,
  });
  const shown = [...(events.data ?? [])].reverse();
  return (
    <section aria-labelledby="detail-events">
      <h3 id="detail-events">Events</h3>
      {events.error ? <p className="hint">{events.error.message}</p> : null}
      {events.data && shown.length === 0 ? <p className="hint">No state change recorded yet.</p> : null}
      {shown.length > 0 ? (
        <ol className="detail-events detail-scroll" tabIndex={0} aria-labelledby="detail-events">
          {shown.map((event) => (
            <li key={event.seq}>
              <time dateTime={new Date(event.at).toISOString()}>{time(event.at)}</time> {event.from ? `${event.from} → ` : ''}
              <strong>{event.to}</strong> <span className="reason">{event.reason}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
