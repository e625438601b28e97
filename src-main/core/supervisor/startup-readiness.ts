/**
 * How a run that has just started becomes ready: its health check passing (probed on the fast
 * startup schedule), or without one its engine's own readiness (a container HEALTHCHECK, a rollout),
 * or else surviving the settle window — each within the startup timeout. A task's run ends instead:
 * its end, within the startup timeout, says whether it completed.
 */
import type { ProbeResult } from '@shared/contract/health';
import { formatDuration, type ServiceDefinition } from '@shared/model';
import { NotReady, type RunningService } from '../drivers/driver';
import { waitUntilReady } from '../health/health-monitor';
import type { Clock } from './clock';

/** Without a health check, a process that survives this long has started. */
export const SETTLE_MS = 500;

export type StartupOutcome =
  /** Ready: why, in words. */
  | { readonly kind: 'ready'; readonly message: string }
  /** Its process ended meanwhile: the record of its end tells the story. */
  | { readonly kind: 'ended' }
  /** Its engine keeps retrying it (a crash-looping pod): shown as it is, healthy once the engine says so. */
  | { readonly kind: 'crash-loop'; readonly message: string }
  /** It will not be ready: end it, recording why. */
  | { readonly kind: 'failed'; readonly failure: string };

export interface StartupInput {
  readonly probe: (check: NonNullable<ServiceDefinition['health_check']>) => Promise<ProbeResult>;
  readonly clock: Clock;
  /** Settles once the run's end has been recorded. */
  readonly watched: Promise<void>;
}

export async function startupReadiness(
  run: RunningService,
  service: ServiceDefinition,
  input: StartupInput,
): Promise<{ outcome: StartupOutcome; health?: ProbeResult }> {
  const { clock } = input;
  const late = (why: string): StartupOutcome => ({ kind: 'failed', failure: `not healthy within ${formatDuration(service.startup.timeout)}: ${why}` });
  if (service.kind === 'task') {
    // A task is ready when it has ended (its end says how); the startup timeout bounds its run.
    const ended = await Promise.race([input.watched.then(() => true), sleep(clock, service.startup.timeout).then(() => false)]);
    return { outcome: ended ? { kind: 'ended' } : { kind: 'failed', failure: `did not complete within ${formatDuration(service.startup.timeout)}` } };
  }
  const check = service.health_check;
  if (!check) {
    const ready = (run.untilHealthy ?? sleep(clock, SETTLE_MS).then(() => 'running')).catch((error: NotReady) => error);
    const timeout = sleep(clock, service.startup.timeout).then(() => undefined);
    const result = await Promise.race([input.watched.then(() => null), ready, timeout]);
    if (result === null) return { outcome: { kind: 'ended' } };
    if (typeof result === 'string') return { outcome: { kind: 'ready', message: result } };
    if (result instanceof NotReady)
      return { outcome: result.state === 'crash-loop' ? { kind: 'crash-loop', message: result.message } : { kind: 'failed', failure: result.message } };
    return { outcome: late('its own readiness check did not pass') };
  }
  const deadline = run.process.startedAt + service.startup.timeout;
  // Raced against the process's own end, not the recording of it: a check passing after the process
  // died (a leftover child answering) must not make it healthy.
  const readiness = await waitUntilReady(() => input.probe(check), { deadline, ended: run.exited, clock });
  const health = readiness.result ? { health: readiness.result } : {};
  if (readiness.ended) return { outcome: { kind: 'ended' }, ...health };
  if (readiness.ready)
    return { outcome: { kind: 'ready', message: `${readiness.result!.message} after ${formatDuration(clock.now() - run.process.startedAt)}` }, ...health };
  return { outcome: late(readiness.result?.message ?? 'no check ran'), ...health };
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
