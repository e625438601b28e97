/**
 * Preflight and readiness: per service, running, ready, would start, or blocked — with every reason
 * and the fixes the owner names; above them the registry's located problems, each opening its file at the line.
 */
import { useQuery } from '@tanstack/react-query';
import { formatKeyPath } from '@shared/model/registry-issue';
import { useClient, useRegistry } from '../../api/client-context';
import { OpenAtLine } from '../file-viewer/open-at-line';
import { preflightRow } from '../../state/preflight-rows';
import { useServices } from '../../state/services-store';
import { Remedies } from './remedies';

export function ReadinessPanel() {
  const client = useClient();
  const mirror = useServices((s) => s.mirror);
  const registry = useRegistry();
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
      {registry.issues.length > 0 ? (
        <section aria-label="Registry problems" data-testid="registry-problems">
          <h3>
            {registry.file}: {registry.issues.length === 1 ? 'one problem' : `${registry.issues.length} problems`}
          </h3>
          <ul className="located-issues">
            {registry.issues.map((issue) => (
              <li key={`${issue.file}:${issue.line}:${issue.column}:${issue.message}`}>
                <span>
                  {issue.file}:{issue.line}:{issue.column} {issue.path.length > 0 ? `${formatKeyPath(issue.path)}: ` : ''}
                  {issue.severity === 'warning' ? 'warning: ' : ''}
                  {issue.message}
                </span>
                <OpenAtLine issue={issue} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
                <Remedies service={row.name} remedies={row.verdict === 'running' ? undefined : remediesOf.get(row.name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
