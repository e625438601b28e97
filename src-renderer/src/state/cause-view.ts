/**
 * How a service's trouble reads on its node and card, by pure functions over the snapshot and the
 * graph: the service at fault is red with its own reason — a failure, or a start its preflight
 * refuses (blocked with nothing it needs in trouble) — while a service held back by others names
 * them ("blocked by X"), not the chain of prose; a failure with an automatic restart pending is
 * "restarting (backoff)" with its countdown, not "failed".
 */
import type { GraphService } from '@shared/contract/registry';
import type { ServiceStatus } from '@shared/contract/service-state';
import { toneOf, type Tone } from '@shared/contract/state-meaning';
import { rootCausesOf } from '@shared/contract/why';

export interface Cause {
  readonly tone: Tone;
  /** The state as shown: the state word, or "restarting (backoff)". */
  readonly label: string;
  /** The services at fault it waits on (the root causes), when it is held back by others. */
  readonly blockedBy: readonly string[];
  /** Its own reason, shown when it is at fault itself. */
  readonly reason: string | undefined;
  /** When its automatic restart is due. */
  readonly retryAt: number | undefined;
}

/** Blocked or degraded states hold back for others; any other trouble is the service's own. */
const HELD = new Set(['blocked', 'degraded']);

export function causeOf(status: ServiceStatus | undefined, services: readonly GraphService[], statuses: ReadonlyMap<string, ServiceStatus>): Cause {
  const state = status?.state ?? 'stopped';
  const tone = toneOf(state);
  const none: Cause = { tone, label: state, blockedBy: [], reason: undefined, retryAt: undefined };
  if (!status || tone === 'ok' || tone === 'idle' || tone === 'done' || tone === 'busy') return none;
  const blockedBy = HELD.has(state) ? rootCausesOf(services, statuses, status.name) : [];
  if (blockedBy.length > 0) return { ...none, blockedBy };
  const backoff = state === 'failed' && status.nextRetryAt !== undefined;
  const retryAt = state === 'failed' || state === 'crash-loop' ? status.nextRetryAt : undefined;
  return {
    // Blocked by nothing it needs: its own start is refused (a port taken, a variable unset) — it is at fault.
    tone: state === 'blocked' ? 'bad' : backoff ? 'warn' : tone,
    label: backoff ? 'restarting (backoff)' : state,
    blockedBy: [],
    // The wait the engine wrote into the reason froze when it was written: the countdown ticks instead.
    reason: retryAt === undefined ? status.reason : status.reason.replace(/; (restarting|next try) in [^;]*$/, ''),
    retryAt,
  };
}

/** Blocked by a problem of its own (problems.ts counts it as an error). */
export const ownFault = (services: readonly GraphService[], statuses: ReadonlyMap<string, ServiceStatus>) => (status: ServiceStatus) =>
  status.state === 'blocked' && causeOf(status, services, statuses).blockedBy.length === 0;

/** "in 8s", "now": a countdown to a retry. */
export function countdown(at: number, now: number): string {
  const s = Math.ceil((at - now) / 1000);
  return s > 0 ? `in ${s}s` : 'now';
}
