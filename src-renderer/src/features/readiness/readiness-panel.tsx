/** Preflight and readiness: per service, running, ready, would start, or blocked — with every reason. */
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';
import { preflightRow } from '../../state/preflight-rows';
import { useServices } from '../../state/services-store';
import { Remedies } from './remedies';

export function ReadinessPanel() {
  const client = useClient();
  const mirror = useServices((s) => s.mirror);
  const readiness = useQuery({ queryKey: ['readiness'], queryFn: () => client.call('readiness'), refetchInterval: 5_000 });
  if (readiness.isLoading) return <p className="hint">Checking…</p>;
  if (readiness.error) return <p role="alert">{readiness.error.message}</p>;
  const rows = (readiness.data ?? []).map((row) => preflightRow(row, mirror?.services.get(row.name)));
  const remediesOf = new Map((readiness.data ?? []).map((row) => [row.name, row.remedies]));
  return (
    <section className="readiness-panel" aria-label="Preflight and readiness">
      <p className="hint">
        Preflight runs the checks a start would (binaries, ports, images, the Docker engine, the cluster) for every service that is not running. Refreshed every
        5 s.
        <button type="button" onClick={() => void readiness.refetch()}>
          Check now
        </button>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">service</th>
            <th scope="col">verdict</th>
            <th scope="col">reasons</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className={`verdict-${row.verdict.replace(' ', '-')}`} data-testid={`preflight-${row.name}`}>
              <th scope="row">{row.name}</th>
              <td>{row.verdict}</td>
              <td>
                {row.reasons.length ? row.reasons.map((r) => <div key={r}>{r}</div>) : '—'}
                {/* A running service's row is its live state: nothing to fix before a start. */}
                <Remedies remedies={row.verdict === 'running' ? undefined : remediesOf.get(row.name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
