/**
 * A Preflight row as shown: the engine's verdict for a service that is not running, and "running"
 * with its live state for one that is — not "ready" beside the reason it had when the last poll ran,
 * nor "blocked" for a process that runs but fails its check (preflight does not apply to it: its
 * trouble is its state's, shown live from the state stream). Unit-tested without a browser.
 */
import type { Readiness } from '@shared/contract/health';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';

export interface PreflightRow {
  readonly name: string;
  readonly verdict: Readiness['verdict'] | 'running';
  readonly reasons: readonly string[];
}

export function preflightRow(row: Readiness, live: ServiceStatus | undefined): PreflightRow {
  if (!live || !isRunning(live)) return row;
  return { name: row.name, verdict: 'running', reasons: [`${live.state}: ${live.reason}`] };
}
