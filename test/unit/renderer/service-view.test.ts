/** The views' pure derivations: tones, the platform summary, filters, a stop's blast radius, troubles, cycles. */
import { describe, expect, it } from 'vitest';
import type { GraphService } from '@shared/contract/registry';
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';
import { toneOf } from '@shared/contract/state-meaning';
import { cycleIfAdded, filterServices, formatUptime, platformSummary, stopImpact, troubleOf } from '../../../src-renderer/src/state/service-view';

const service = (name: string, dependencies: string[] = [], extra: Partial<GraphService> = {}): GraphService => ({
  name,
  description: '',
  mode: 'binary',
  order: 100,
  autoStart: false,
  dependencies,
  conflicts: [],
  ports: [],
  ...extra,
});
const status = (name: string, state: ServiceState, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason: `${state} because`,
  since: 0,
  restarts: 0,
  ...extra,
});

// orchestrator ← auth ← api ← web; orchestrator ← cache ← api
const registry = [
  service('orchestrator'),
  service('auth', ['orchestrator']),
  service('cache', ['orchestrator']),
  service('api', ['auth', 'cache']),
  service('web', ['api']),
];

describe('the views derive from the snapshot', () => {
  it('gives every state one tone', () => {
    expect(
      (
        ['healthy', 'external', 'starting', 'stopping', 'degraded', 'unhealthy', 'blocked', 'unknown', 'failed', 'crash-loop', 'conflict', 'stopped'] as const
      ).map(toneOf),
    ).toEqual(['ok', 'ok', 'busy', 'busy', 'warn', 'bad', 'warn', 'warn', 'bad', 'bad', 'bad', 'idle']);
    expect(toneOf(undefined)).toBe('idle');
  });

  it('sums the platform up in one line', () => {
    expect(platformSummary([status('a', 'healthy'), status('b', 'starting'), status('c', 'failed'), status('d', 'stopped')]).line).toBe(
      '1 of 4 serving · 1 changing · 1 failing',
    );
    expect(platformSummary([]).line).toBe('0 of 0 serving');
  });

  it('filters by words across name, mode, state and description, and by state group', () => {
    const all = [status('web', 'healthy'), status('api', 'degraded'), status('db', 'stopped', { mode: 'docker' }), status('job', 'failed', { pid: undefined })];
    const names = (list: ServiceStatus[]) => list.map((s) => s.name);
    expect(names(filterServices(all, 'docker', 'all'))).toEqual(['db']);
    expect(names(filterServices(all, '', 'trouble'))).toEqual(['api', 'job']);
    expect(names(filterServices(all, '', 'stopped'))).toEqual(['db']);
    expect(names(filterServices([status('web', 'healthy', { pid: 1 }), status('db', 'stopped')], '', 'running'))).toEqual(['web']);
    expect(names(filterServices(all, 'front door', 'all', new Map([['web', 'The front door']])))).toEqual(['web']);
  });

  it('lists the running services a stop would take down, dependents first', () => {
    const running = new Map(['orchestrator', 'auth', 'api', 'web'].map((n) => [n, status(n, 'healthy', { pid: 1 })]));
    running.set('cache', status('cache', 'stopped'));
    expect(stopImpact(registry, running, 'orchestrator')).toEqual(['web', 'api', 'auth']);
    expect(stopImpact(registry, running, 'web')).toEqual([]);
    expect(stopImpact(registry, running, 'not-in-registry')).toEqual([]);
  });

  it('says why a node is in trouble and what it waits on', () => {
    const states = new Map([
      ['orchestrator', status('orchestrator', 'failed')],
      ['auth', status('auth', 'blocked', { reason: 'waiting for orchestrator' })],
    ]);
    expect(troubleOf(states.get('auth'), registry[1]!, states)).toBe('blocked: waiting for orchestrator\nwaiting on orchestrator is failed');
    expect(troubleOf(status('web', 'healthy'), registry[4]!, states)).toBeUndefined();
  });

  it('finds the cycle an added dependency would close', () => {
    expect(cycleIfAdded(registry, 'orchestrator', 'web')).toEqual(expect.arrayContaining(['orchestrator', 'web', 'api']));
    expect(cycleIfAdded(registry, 'web', 'orchestrator')).toBeUndefined();
    expect(cycleIfAdded(registry, 'api', 'api')).toEqual(['api', 'api']);
  });

  it('formats uptimes', () => {
    expect([0, 40_000, 725_000, 3 * 3_600_000 + 60_000, 2 * 86_400_000 + 5 * 3_600_000].map(formatUptime)).toEqual(['0s', '40s', '12m 5s', '3h 1m', '2d 5h']);
  });
});
