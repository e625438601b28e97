/** Runs a service's health check once: the probe of its type, timed, never throwing. */
import type { ProbeResult } from '@shared/contract/health';
import type { HealthCheck } from '@shared/model';
import { commandProbe } from './command-probe';
import { fileProbe } from './file-probe';
import { httpProbe } from './http-probe';
import type { ProbeContext, ProbeOutcome } from './probe-context';
import { tcpProbe } from './tcp-probe';

function probe(check: HealthCheck, context: ProbeContext): Promise<ProbeOutcome> {
  switch (check.type) {
    case 'http':
      return httpProbe(check.http!, context);
    case 'tcp':
      return tcpProbe(check.tcp!, context);
    case 'command':
      return commandProbe(check.command!, context);
    case 'file':
      return fileProbe(check.file!, context);
  }
}

export async function runProbe(check: HealthCheck, context: Omit<ProbeContext, 'timeoutMs'>): Promise<ProbeResult> {
  const started = performance.now();
  let outcome: ProbeOutcome;
  try {
    outcome = await probe(check, { ...context, timeoutMs: check.timeout });
  } catch (error) {
    outcome = { ok: false, message: (error as Error).message };
  }
  return { ...outcome, latencyMs: Math.round((performance.now() - started) * 10) / 10, at: Date.now() };
}
