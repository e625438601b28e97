/** How service states look in a terminal: one color per family of states, durations made short. */
import { isRunning, type ServiceState, type ServiceStatus } from '@shared/contract/service-state';
import { formatDuration } from '@shared/model';
import type { Palette } from './palette';

export function paintState(paint: Palette, state: ServiceState): string {
  switch (state) {
    case 'healthy':
      return paint.green(state);
    case 'failed':
    case 'crash-loop':
    case 'unhealthy':
    case 'conflict':
      return paint.red(state);
    case 'starting':
    case 'stopping':
    case 'degraded':
    case 'blocked':
      return paint.yellow(state);
    default:
      return paint.dim(state);
  }
}

export const uptime = (status: ServiceStatus, now: number): string =>
  status.startedAt && isRunning(status) ? formatDuration(Math.max(0, now - status.startedAt)) : '';

export const lastExit = (status: ServiceStatus): string => {
  const exit = status.lastExit;
  if (!exit) return '';
  return exit.signal ? exit.signal : exit.code === null ? 'unknown' : `code ${exit.code}`;
};
