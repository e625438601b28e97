/** The actions a status allows, computed in one place; and the schema that carries them across the contract. */
import { describe, expect, it } from 'vitest';
import { actionsOf, allowedActions, notRunHere } from '@shared/contract/service-actions';
import { serviceStatusSchema, type ServiceState, type ServiceStatus } from '@shared/contract/service-state';

const status = (state: ServiceState, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name: 'web',
  mode: 'binary',
  state,
  reason: state,
  since: 0,
  restarts: 0,
  ...extra,
});
const pid = { pid: 4242 };

describe('allowed actions', () => {
  it('lets a supervised service start when nothing runs, stop and restart while it runs', () => {
    expect(allowedActions(status('stopped'), true)).toEqual(['start']);
    expect(allowedActions(status('conflict'), true)).toEqual(['start']);
    expect(allowedActions(status('unknown'), true)).toEqual(['start']);
    for (const state of ['healthy', 'unhealthy', 'degraded', 'unknown'] as const)
      expect(allowedActions(status(state, pid), true), state).toEqual(['stop', 'restart']);
    expect(allowedActions(status('unknown', { workload: 'deployment/web in default' }), true)).toEqual(['stop', 'restart']);
  });

  it('lets a stop withdraw what the engine still means to do: a retry after a failure, a start waiting on a dependency', () => {
    for (const state of ['failed', 'crash-loop', 'blocked'] as const) expect(allowedActions(status(state), true), state).toEqual(['start', 'stop']);
    expect(allowedActions(status('crash-loop', pid), true)).toEqual(['stop', 'restart']);
  });

  it('lets a start be given up, and nothing be asked while it stops', () => {
    expect(allowedActions(status('starting', pid), true)).toEqual(['stop']);
    expect(allowedActions(status('starting'), true)).toEqual(['stop']);
    expect(allowedActions(status('stopping', pid), true)).toEqual([]);
  });

  it('never starts what it does not supervise; stops it only when something of ours runs for it', () => {
    for (const state of ['external', 'unhealthy', 'unknown'] as const) expect(allowedActions(status(state, { mode: 'remote' }), false), state).toEqual([]);
    expect(allowedActions(status('stopped', { mode: 'kubernetes' }), false)).toEqual([]);
    expect(allowedActions(status('external', pid), false)).toEqual(['stop']);
  });
});

describe('what faces read', () => {
  it('is the engine’s answer when it gives one, whatever the state suggests', () => {
    expect(actionsOf(status('stopped', { actions: [] }))).toEqual([]);
    expect(actionsOf(status('healthy', { ...pid, actions: ['stop'] }))).toEqual(['stop']);
  });

  it('is computed the same way for an older owner, which sends no actions', () => {
    expect(actionsOf(status('healthy', pid))).toEqual(['stop', 'restart']);
    expect(actionsOf(status('unhealthy', { mode: 'remote' }))).toEqual([]);
    expect(actionsOf(status('external', { ...pid, mode: 'binary' }))).toEqual(['stop']);
  });

  it('calls a service not run here when nothing can be asked of it, not while it merely stops', () => {
    expect(notRunHere(status('external', { actions: [] }))).toBe(true);
    expect(notRunHere(status('stopped', { actions: [] }))).toBe(true);
    expect(notRunHere(status('stopping', { ...pid, actions: [] }))).toBe(false);
    expect(notRunHere(status('stopped', { actions: ['start'] }))).toBe(false);
  });

  it('crosses the contract: an older owner’s status without actions parses, an unknown action does not', () => {
    const older = { name: 'web', mode: 'binary', state: 'stopped', reason: 'not started', since: 0, restarts: 0 };
    expect(serviceStatusSchema.parse(older).actions).toBeUndefined();
    expect(serviceStatusSchema.parse({ ...older, actions: ['start'] }).actions).toEqual(['start']);
    expect(serviceStatusSchema.safeParse({ ...older, actions: ['delete'] }).success).toBe(false);
  });
});
