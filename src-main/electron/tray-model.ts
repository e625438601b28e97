/**
 * What the tray shows, derived from the services' states alone (no Electron here, so it is unit
 * tested): an icon for the platform as a whole, a tooltip, and a menu listing every service with
 * its state and the one action that makes sense for it, then the platform actions.
 */
import { isRunning, SERVING, type ServiceStatus } from '@shared/contract/service-state';

/** idle: nothing of ours runs; healthy: all that runs serves; degraded: some of it does not; down: nothing serves and something failed. */
export type TrayIcon = 'idle' | 'healthy' | 'degraded' | 'down';

export type TrayAction = { readonly kind: 'start' | 'stop'; readonly service: string } | { readonly kind: 'start-platform' | 'stop-platform' | 'open' | 'quit' };

export type TrayItem = { readonly label: string; readonly action?: TrayAction; readonly enabled: boolean } | { readonly separator: true };

export interface TrayModel {
  readonly icon: TrayIcon;
  readonly tooltip: string;
  readonly items: readonly TrayItem[];
}

const TROUBLE = new Set(['failed', 'crash-loop', 'unhealthy', 'degraded', 'unknown', 'conflict']);

export function trayModel(statuses: readonly ServiceStatus[]): TrayModel {
  const running = statuses.filter((s) => isRunning(s) || s.state === 'external');
  const troubled = statuses.filter((s) => TROUBLE.has(s.state));
  const serving = running.filter((s) => SERVING.has(s.state));
  const icon: TrayIcon =
    troubled.length === 0 ? (running.length === 0 ? 'idle' : 'healthy') : serving.length === 0 && running.every((s) => TROUBLE.has(s.state)) ? 'down' : 'degraded';
  const tooltip =
    icon === 'idle' ? 'Provisioning: nothing running' : `Provisioning: ${serving.length} of ${running.length} running serve${troubled.length ? `; trouble: ${troubled.map((s) => `${s.name} (${s.state})`).join(', ')}` : ''}`;
  const services: TrayItem[] = statuses.map((s) => {
    if (s.mode === 'remote') return { label: `${s.name} — ${s.state} (remote)`, enabled: false };
    const stoppable = isRunning(s) || s.state === 'crash-loop' || s.state === 'failed';
    return { label: `${s.name} — ${s.state}: ${stoppable ? 'Stop' : 'Start'}`, action: { kind: stoppable ? 'stop' : 'start', service: s.name }, enabled: s.state !== 'starting' && s.state !== 'stopping' };
  });
  return {
    icon,
    tooltip,
    items: [
      ...services,
      { separator: true },
      { label: 'Start platform', action: { kind: 'start-platform' }, enabled: true },
      { label: 'Stop platform', action: { kind: 'stop-platform' }, enabled: running.some((s) => s.mode !== 'remote') },
      { separator: true },
      { label: 'Open Control Center', action: { kind: 'open' }, enabled: true },
      { label: 'Quit', action: { kind: 'quit' }, enabled: true },
    ],
  };
}
