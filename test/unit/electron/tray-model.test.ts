import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { trayModel } from '../../../src-main/electron/tray-model';

const s = (name: string, state: ServiceStatus['state'], extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason: state,
  since: 0,
  restarts: 0,
  ...(['starting', 'healthy', 'unhealthy', 'degraded', 'stopping'].includes(state) ? { pid: 100 } : {}),
  ...extra,
});

describe('tray model', () => {
  it('is idle when nothing runs, healthy when all that runs serves', () => {
    expect(trayModel([s('api', 'stopped'), s('web', 'stopped')]).icon).toBe('idle');
    const healthy = trayModel([s('api', 'healthy'), s('web', 'stopped'), s('db', 'external', { mode: 'remote' })]);
    expect(healthy.icon).toBe('healthy');
    expect(healthy.tooltip).toBe('Provisioning: 2 of 2 running serve');
  });

  it('is degraded while some serve and some are in trouble, down when none serves', () => {
    const degraded = trayModel([s('api', 'healthy'), s('web', 'degraded'), s('worker', 'crash-loop')]);
    expect(degraded.icon).toBe('degraded');
    expect(degraded.tooltip).toBe('Provisioning: 1 of 2 running serve; trouble: web (degraded), worker (crash-loop)');
    expect(trayModel([s('api', 'unhealthy'), s('web', 'failed')]).icon).toBe('down');
  });

  it('counts a service blocked behind a failed dependency as trouble', () => {
    const model = trayModel([s('api', 'healthy'), s('web', 'blocked')]);
    expect(model.icon).toBe('degraded');
    expect(model.tooltip).toBe('Provisioning: 1 of 1 running serve; trouble: web (blocked)');
  });

  it('lists each service with its state and the action its status allows, then the platform actions', () => {
    const model = trayModel([
      s('api', 'healthy'),
      s('web', 'stopped'),
      s('job', 'starting'),
      s('cron', 'stopping'),
      s('worker', 'failed'),
      s('db', 'external', { mode: 'remote' }),
      s('cache', 'healthy', { actions: ['restart'] }),
    ]);
    expect(model.items).toEqual([
      { label: 'api — healthy: Stop', action: { kind: 'stop', service: 'api' }, enabled: true },
      { label: 'web — stopped: Start', action: { kind: 'start', service: 'web' }, enabled: true },
      { label: 'job — starting: Stop', action: { kind: 'stop', service: 'job' }, enabled: true },
      { label: 'cron — stopping', enabled: false },
      { label: 'worker — failed: Stop', action: { kind: 'stop', service: 'worker' }, enabled: true },
      { label: 'db — external (not run from here)', enabled: false },
      { label: 'cache — healthy', enabled: false },
      { separator: true },
      { label: 'Start platform', action: { kind: 'start-platform' }, enabled: true },
      { label: 'Stop platform', action: { kind: 'stop-platform' }, enabled: true },
      { separator: true },
      { label: 'Open Control Center', action: { kind: 'open' }, enabled: true },
      { label: 'Quit', action: { kind: 'quit' }, enabled: true },
    ]);
  });

  it('offers Stop platform only when something running may be stopped from here', () => {
    const stopPlatform = (statuses: ServiceStatus[]) => trayModel(statuses).items.find((i) => 'label' in i && i.label === 'Stop platform');
    expect(stopPlatform([s('db', 'external', { mode: 'remote' }), s('web', 'stopped')])).toMatchObject({ enabled: false });
    expect(stopPlatform([s('db', 'external', { mode: 'remote' }), s('web', 'healthy')])).toMatchObject({ enabled: true });
  });
});
