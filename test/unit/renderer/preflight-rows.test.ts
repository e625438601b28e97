/** Preflight rows say "running" with the live state for a running service (preflight-rows.ts). */
import { describe, expect, it } from 'vitest';
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';
import { preflightRow } from '../../../src-renderer/src/state/preflight-rows';

const status = (state: ServiceState, reason: string, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name: 'api',
  mode: 'binary',
  state,
  reason,
  since: 0,
  restarts: 0,
  ...extra,
});

describe('a Preflight row', () => {
  it('is "running" with the live reason, not "ready" with the reason of the last poll', () => {
    const polled = { name: 'api', verdict: 'ready' as const, reasons: ['starting: launched'] };
    expect(preflightRow(polled, status('healthy', 'passed: HTTP 200', { pid: 7 }))).toEqual({
      name: 'api',
      verdict: 'running',
      reasons: ['healthy: passed: HTTP 200'],
    });
  });

  it('is "running", not "blocked", for a process that runs and fails its check', () => {
    const polled = { name: 'api', verdict: 'blocked' as const, reasons: ['running but unhealthy: HTTP 500'] };
    expect(preflightRow(polled, status('unhealthy', 'HTTP 500', { pid: 7 })).verdict).toBe('running');
  });

  it('keeps the engine’s verdict for a service that does not run', () => {
    const polled = { name: 'api', verdict: 'blocked' as const, reasons: ['port 80/tcp is taken'] };
    expect(preflightRow(polled, status('stopped', 'not started'))).toBe(polled);
    expect(preflightRow(polled, undefined)).toBe(polled);
  });
});
