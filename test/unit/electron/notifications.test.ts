import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { noteFor } from '../../../src-main/electron/notifications';

const s = (state: ServiceStatus['state'], reason = 'why'): ServiceStatus => ({ name: 'api', mode: 'binary', state, reason, since: 0, restarts: 0 });

describe('notifications', () => {
  it('tells of a crash, a crash loop and a service turning unhealthy, once each', () => {
    expect(noteFor('healthy', s('failed', 'exited with code 1; restarting in 1s'))).toEqual({
      title: 'api crashed',
      body: 'exited with code 1; restarting in 1s',
    });
    expect(noteFor('failed', s('crash-loop'))).toEqual({ title: 'api is in a crash loop', body: 'why' });
    expect(noteFor('healthy', s('unhealthy'))).toEqual({ title: 'api turned unhealthy', body: 'why' });
    expect(noteFor('unhealthy', s('unhealthy'))).toBeUndefined();
  });

  it('keeps quiet about ordinary transitions', () => {
    for (const state of ['starting', 'healthy', 'stopping', 'stopped', 'degraded', 'blocked'] as const) expect(noteFor('healthy', s(state))).toBeUndefined();
  });
});
