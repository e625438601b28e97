/**
 * What the tray shows, derived from the services' states alone (no Electron here, so it is unit
 * tested): an icon for the platform as a whole, a tooltip, and a menu listing every service with
 * its state and the one action that makes sense for it, then the platform actions.
 */
import { actionsOf, notRunHere } from '@shared/contract/service-actions';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { isTrouble, SERVING } from '@shared/contract/state-meaning';

/** idle: nothing of ours runs; healthy: all that runs serves; degraded: some of it does not; down: nothing serves and something failed. */
export type TrayIcon = 'idle' | 'healthy' | 'degraded' | 'down';

export type TrayAction =
  | { readonly kind: 'start' | 'stop'; readonly service: string }
  | { readonly kind: 'start-platform' | 'stop-platform' | 'open' | 'quit' };

export type TrayItem = { readonly label: string; readonly action?: TrayAction; readonly enabled: boolean } | { readonly separator: true };

export interface TrayModel {
  readonly icon: TrayIcon;
  readonly tooltip: string;
  readonly items: readonly TrayItem[];
}

export function trayModel(statuses: readonly ServiceStatus[]): TrayModel {
  const running = statuses.filter((s) => isRunning(s) || s.state === 'external');
  const troubled = statuses.filter((s) => isTrouble(s.state));
  const serving = running.filter((s) => SERVING.has(s.state));
  const icon: TrayIcon =
    troubled.length === 0
      ? running.length === 0
        ? 'idle'
        : 'healthy'
      : serving.length === 0 && running.every((s) => isTrouble(s.state))
        ? 'down'
        : 'degraded';
  const tooltip =
    icon === 'idle'
      ? 'Provisioning: nothing running'
      : `Provisioning: ${serving.length} of ${running.length} running serve${troubled.length ? `; trouble: ${troubled.map((s) => `${s.name} (${s.state})`).join(', ')}` : ''}`;
  const services: TrayItem[] = statuses.map((s) => {
    const kind = oneAction(s);
    if (!kind) return { label: `${s.name} — ${s.state}${notRunHere(s) ? ' (not run from here)' : ''}`, enabled: false };
    return { label: `${s.name} — ${s.state}: ${kind === 'stop' ? 'Stop' : 'Start'}`, action: { kind, service: s.name }, enabled: true };
  });
  return {
    icon,
    tooltip,
    items: [
      ...services,
      { separator: true },
      { label: 'Start platform', action: { kind: 'start-platform' }, enabled: true },
      { label: 'Stop platform', action: { kind: 'stop-platform' }, enabled: running.some((s) => actionsOf(s).includes('stop')) },
      { separator: true },
      { label: 'Open Control Center', action: { kind: 'open' }, enabled: true },
      { label: 'Quit', action: { kind: 'quit' }, enabled: true },
    ],
  };
}

/** Stop where it is allowed (what runs, or a retry or wait the engine still means to act on), else start. */
const oneAction = (status: ServiceStatus): 'start' | 'stop' | undefined => {
  const actions = actionsOf(status);
  return actions.includes('stop') ? 'stop' : actions.includes('start') ? 'start' : undefined;
};
