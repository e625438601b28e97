/**
 * Which of start, stop and restart a service allows now, computed in one place from its status and
 * whether this engine supervises it. The engine sets the answer on every status it gives out; the
 * tray, cards, graph nodes, the CLI and the platform operations read it (actionsOf) and never the
 * service's mode.
 *
 * - Not supervised (a remote service, watched only; a mode without a driver; a stray process of
 *   this home no supervisor took): never started from here; stopped only when something of ours
 *   runs for it (a stray).
 * - Stopping: nothing until it has stopped.
 * - Starting: stop (the user gives up on the start; the supervisor stops it once the start settles).
 * - Running (a process or workload of ours): stop and restart.
 * - A service whose image is built here: rebuild too, unless it is starting or stopping.
 * - Not running: start; and stop where the engine still means to run it (a scheduled retry after
 *   failed or crash-loop, a start waiting behind a dependency): stop withdraws that wish.
 */
import { isRunning, type ServiceAction, type ServiceStatus } from './service-state';
import { meaningOf } from './state-meaning';

const WANTED_WHILE_DOWN = new Set<ServiceStatus['state']>(['failed', 'crash-loop', 'blocked']);

/** `rebuilds`: its mode builds its image here (modes.ts), so `rebuild` is offered whenever it is not on its way up or down. */
export function allowedActions(status: ServiceStatus, supervised: boolean, rebuilds = false): ServiceAction[] {
  if (!supervised) return isRunning(status) ? ['stop'] : [];
  if (status.state === 'stopping') return [];
  if (status.state === 'starting') return ['stop'];
  const rebuild: ServiceAction[] = rebuilds ? ['rebuild'] : [];
  if (isRunning(status)) return ['stop', 'restart', ...rebuild];
  return [...(WANTED_WHILE_DOWN.has(status.state) ? (['start', 'stop'] as const) : (['start'] as const)), ...rebuild];
}

/**
 * An owner from before `actions` existed did not say whether it supervises a service: remote was
 * then its one watched-only mode, and `external` meant a process it did not start.
 */
const supervisedByOlderOwner = (status: ServiceStatus): boolean => status.state !== 'external' && !['remote'].includes(status.mode);

/** The actions a status allows: the engine's answer, else (an older owner) computed the same way. */
export const actionsOf = (status: ServiceStatus): readonly ServiceAction[] => status.actions ?? allowedActions(status, supervisedByOlderOwner(status));

/** Nothing can be asked of it from here, and not only for the moment (as while it stops): it is watched at most. */
export const notRunHere = (status: ServiceStatus): boolean => actionsOf(status).length === 0 && meaningOf(status.state).tone !== 'busy';
