/** The header's platform buttons say when they would do nothing, and why (platform-actions.ts). */
import { describe, expect, it } from 'vitest';
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';
import { whyNoPlatformStart, whyNoPlatformStop } from '../../../src-renderer/src/state/platform-actions';

const status = (name: string, state: ServiceState, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason: `${state} because`,
  since: 0,
  restarts: 0,
  ...extra,
});
const byName = (...statuses: ServiceStatus[]) => new Map(statuses.map((s) => [s.name, s]));

describe('Stop platform', () => {
  it('has nothing to do when nothing runs, starts or waits for a retry', () => {
    expect(whyNoPlatformStop([status('a', 'stopped'), status('b', 'completed')])).toBe('Nothing is running: there is nothing to stop.');
    expect(whyNoPlatformStop([])).toBeDefined();
  });

  it('stops a running service, a start under way and a pending restart', () => {
    expect(whyNoPlatformStop([status('a', 'stopped'), status('b', 'healthy', { pid: 42 })])).toBeUndefined();
    expect(whyNoPlatformStop([status('a', 'starting')])).toBeUndefined();
    expect(whyNoPlatformStop([status('a', 'failed', { nextRetryAt: 5 })])).toBeUndefined();
  });

  it('leaves alone what is only watched: an external service is not ours to stop', () => {
    expect(whyNoPlatformStop([status('a', 'external', { actions: [] })])).toBeDefined();
  });
});

describe('Start platform', () => {
  const services = [
    { name: 'db', autoStart: true },
    { name: 'web', autoStart: true },
    { name: 'tool', autoStart: false },
  ];

  it('has nothing to do once every auto-start service serves, whatever the others do', () => {
    expect(whyNoPlatformStart(services, byName(status('db', 'healthy', { pid: 1 }), status('web', 'healthy', { pid: 2 }), status('tool', 'stopped')))).toBe(
      'Every auto-start service already serves.',
    );
  });

  it('starts while an auto-start service is stopped, failed or not known yet', () => {
    expect(whyNoPlatformStart(services, byName(status('db', 'healthy', { pid: 1 }), status('web', 'stopped')))).toBeUndefined();
    expect(whyNoPlatformStart(services, byName(status('db', 'healthy', { pid: 1 }), status('web', 'failed')))).toBeUndefined();
    expect(whyNoPlatformStart(services, byName(status('db', 'healthy', { pid: 1 })))).toBeUndefined();
  });

  it('says so when no service starts automatically', () => {
    expect(whyNoPlatformStart([{ name: 'tool', autoStart: false }], byName())).toMatch(/No service has auto_start = true/);
  });
});
