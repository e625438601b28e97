/**
 * What the problems bar and the per-service badges count, from the statuses and the events
 * timeline (service-state.ts), as pure functions every face can use:
 *
 * - errors: services that are not doing their job now (the state table's `bad` tone: failed,
 *   crash-loop, unhealthy, conflict), services blocked by a problem of their own (a preflight
 *   refusal: nothing they need is in trouble), and services that failed within the window and
 *   recovered since — a crash stays counted after its automatic restart.
 * - warnings: services in trouble because of something else or not known (blocked behind a
 *   dependency, degraded, unknown), and each warning of the owner (a state record set aside, a log
 *   write error).
 *
 * A pending automatic restart counts as the failure it is, never as a second one.
 */
import { meaningOf, toneOf } from './state-meaning';
import type { ServiceState, ServiceStatus, TimelineEvent } from './service-state';

/** How far back a failure still counts (the badge says it: "crashed 4× in 10 min"). */
export const FAILURE_WINDOW_MS = 10 * 60_000;

/** States whose entry is a failure of the service itself. */
const FAILURES = new Set<ServiceState>(['failed', 'crash-loop']);

export interface FailureCount {
  readonly count: number;
  /** "crashed" when one of them ended a run that had been up; "failed" for starts that never came up. */
  readonly word: 'crashed' | 'failed';
  readonly last: TimelineEvent;
}

/** Per service, its failures within `windowMs` before `now`. */
export function recentFailures(events: readonly TimelineEvent[], now: number, windowMs = FAILURE_WINDOW_MS): Map<string, FailureCount> {
  const counts = new Map<string, FailureCount>();
  for (const event of events) {
    if (!FAILURES.has(event.to) || now - event.at > windowMs) continue;
    const before = counts.get(event.service);
    const crashed = event.from !== undefined && meaningOf(event.from).up;
    counts.set(event.service, {
      count: (before?.count ?? 0) + 1,
      word: before?.word === 'crashed' || crashed ? 'crashed' : 'failed',
      last: event,
    });
  }
  return counts;
}

/** "crashed 4× in 10 min". */
export const failureBadge = (failures: FailureCount, windowMs = FAILURE_WINDOW_MS): string =>
  `${failures.word} ${failures.count}× in ${Math.round(windowMs / 60_000)} min`;

export interface Problem {
  readonly service?: string;
  readonly text: string;
}

export interface Problems {
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
}

export interface ProblemInput {
  readonly statuses: readonly ServiceStatus[];
  readonly events: readonly TimelineEvent[];
  readonly now: number;
  /** Blocked by a problem of its own, not by a dependency (cause-view: no troubled dependency). */
  readonly ownFault: (status: ServiceStatus) => boolean;
  readonly ownerWarnings?: readonly string[];
}

export function problemsOf({ statuses, events, now, ownFault, ownerWarnings = [] }: ProblemInput): Problems {
  const failures = recentFailures(events, now);
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  for (const status of statuses) {
    const tone = toneOf(status.state);
    const failed = failures.get(status.name);
    if (tone === 'bad' || (status.state === 'blocked' && ownFault(status)))
      errors.push({ service: status.name, text: `${status.name} is ${status.state}: ${status.reason}` });
    else if (failed) errors.push({ service: status.name, text: `${status.name} ${failureBadge(failed)}, ${status.state} now` });
    else if (tone === 'warn') warnings.push({ service: status.name, text: `${status.name} is ${status.state}: ${status.reason}` });
  }
  warnings.push(...ownerWarnings.map((text) => ({ text })));
  return { errors, warnings };
}
