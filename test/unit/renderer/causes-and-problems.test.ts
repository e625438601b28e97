/**
 * Causes in plain sight (issue 20), as pure functions: the service at fault reads red with its
 * reason, what it holds back reads "blocked by" it (not the chain's prose), a pending automatic
 * restart reads "restarting (backoff)"; a platform start's failures read once per root cause; the
 * problems bar keeps counting a crash after the service recovered.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformReport } from '@shared/contract/platform';
import { failureBadge, problemsOf, recentFailures, FAILURE_WINDOW_MS } from '@shared/contract/problems';
import type { GraphService } from '@shared/contract/registry';
import type { ServiceState, ServiceStatus, TimelineEvent } from '@shared/contract/service-state';
import { causeOf, ownFault } from '../../../src-renderer/src/state/cause-view';
import { rootCauses } from '../../../src-renderer/src/state/root-causes';

const service = (name: string, dependencies: string[] = []): GraphService => ({
  name,
  description: '',
  mode: 'binary',
  order: 0,
  autoStart: true,
  dependencies,
  conflicts: [],
  ports: [],
});
const status = (name: string, state: ServiceState, reason: string, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason,
  since: 0,
  restarts: 0,
  ...extra,
});
// A diamond: api needs auth and cache, both need the orchestrator (the demo registry's shape).
const SERVICES = [service('orchestrator'), service('auth', ['orchestrator']), service('cache', ['orchestrator']), service('api', ['auth', 'cache'])];
const CONFLICT = 'cannot start: port 4701/tcp is taken by pid 42 (nc -l 4701)';
const blocked = new Map([
  ['orchestrator', status('orchestrator', 'blocked', CONFLICT)],
  ['auth', status('auth', 'blocked', `waiting for orchestrator: ${CONFLICT}`)],
  ['cache', status('cache', 'blocked', `waiting for orchestrator: ${CONFLICT}`)],
  ['api', status('api', 'blocked', `waiting for auth: waiting for orchestrator: ${CONFLICT}`)],
]);

describe('the cause of a service', () => {
  it('is the service itself, red with its reason, when nothing it needs is in trouble', () => {
    expect(causeOf(blocked.get('orchestrator'), SERVICES, blocked)).toMatchObject({ tone: 'bad', label: 'blocked', blockedBy: [], reason: CONFLICT });
    expect(ownFault(SERVICES, blocked)(blocked.get('orchestrator')!)).toBe(true);
  });

  it('is the root cause for what waits, however deep and by however many paths, instead of the prose', () => {
    for (const name of ['auth', 'cache', 'api']) {
      expect(causeOf(blocked.get(name), SERVICES, blocked)).toMatchObject({ tone: 'warn', blockedBy: ['orchestrator'], reason: undefined });
      expect(ownFault(SERVICES, blocked)(blocked.get(name)!)).toBe(false);
    }
  });

  it('reads a failure with a restart due as restarting (backoff), its frozen wait cut from the reason', () => {
    const failed = status('api', 'failed', 'killed by SIGKILL; restarting in 8s', { nextRetryAt: 8_000 });
    expect(causeOf(failed, SERVICES, new Map([['api', failed]]))).toMatchObject({
      label: 'restarting (backoff)',
      reason: 'killed by SIGKILL',
      retryAt: 8_000,
    });
    const done = status('api', 'failed', 'exited with code 1');
    expect(causeOf(done, SERVICES, new Map([['api', done]]))).toMatchObject({ tone: 'bad', label: 'failed', retryAt: undefined });
  });
});

describe('a platform start’s notice', () => {
  it('names each root cause once, with what it holds back', () => {
    const report: PlatformReport = {
      operation: 'start',
      plan: ['orchestrator', 'auth', 'api', 'web'],
      began: 0,
      ended: 1,
      cancelled: false,
      criticalPath: [],
      steps: [
        { name: 'orchestrator', outcome: 'failed', reason: CONFLICT },
        { name: 'auth', outcome: 'blocked', reason: `waiting for orchestrator: failed, ${CONFLICT}` },
        { name: 'api', outcome: 'blocked', reason: `waiting for auth: waiting for orchestrator: failed, ${CONFLICT}` },
        { name: 'web', outcome: 'done', reason: 'healthy' },
      ],
    };
    expect(rootCauses(report)).toBe(`orchestrator: ${CONFLICT} (holds back auth, api)`);
    expect(rootCauses({ ...report, steps: report.steps.slice(3) })).toBeUndefined();
  });
});

describe('the problems bar', () => {
  const event = (seq: number, at: number, from: ServiceState | undefined, to: ServiceState): TimelineEvent => ({
    seq,
    at,
    service: 'api',
    ...(from ? { from } : {}),
    to,
    reason: to,
  });
  const crash = [
    event(1, 0, undefined, 'starting'),
    event(2, 10, 'starting', 'healthy'),
    event(3, 20, 'healthy', 'failed'),
    event(4, 30, 'failed', 'starting'),
    event(5, 40, 'starting', 'healthy'),
  ];

  it('still counts a crash once the service recovered, until its window passes', () => {
    const healthy = [status('api', 'healthy', 'passes its check')];
    const input = { statuses: healthy, events: crash, ownFault: () => false };
    expect(problemsOf({ ...input, now: 100 }).errors).toEqual([{ service: 'api', text: 'api crashed 1× in 10 min, healthy now' }]);
    expect(problemsOf({ ...input, now: 20 + FAILURE_WINDOW_MS + 1 }).errors).toEqual([]);
    expect(failureBadge(recentFailures(crash, 100).get('api')!)).toBe('crashed 1× in 10 min');
  });

  it('counts a refused start as an error, what it holds back and the owner’s warnings as warnings', () => {
    const problems = problemsOf({
      statuses: [...blocked.values()],
      events: [],
      now: 0,
      ownFault: ownFault(SERVICES, blocked),
      ownerWarnings: ['a log write error'],
    });
    expect(problems.errors.map((p) => p.service)).toEqual(['orchestrator']);
    expect(problems.warnings.map((p) => p.service ?? p.text)).toEqual(['auth', 'cache', 'api', 'a log write error']);
  });
});
