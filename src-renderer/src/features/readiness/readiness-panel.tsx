/** Preflight and readiness: per service, ready, would start, or blocked — with every reason. */
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

export function ReadinessPanel() {
  const client = useClient();
  const readiness = useQuery({ queryKey: ['readiness'], queryFn: () => client.call('readiness'), refetchInterval: 5_000 });
  if (readiness.isLoading) return <p className="hint">Checking…</p>;
  if (readiness.error) return <p role="alert">{readiness.error.message}</p>;
  const rows = readiness.data ?? [];
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
            <tr key={row.name} className={`verdict-${row.verdict.replace(' ', '-')}`}>
              <th scope="row">{row.name}</th>
              <td>{row.verdict}</td>
              <td>{row.reasons.length ? row.reasons.map((r) => <div key={r}>{r}</div>) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
