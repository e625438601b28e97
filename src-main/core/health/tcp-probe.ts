/** TCP check: the port accepts a connection within the timeout. */
import { connect } from 'node:net';
import type { HealthCheck } from '@shared/model';
import { describeNetworkError } from './http-probe';
import type { ProbeContext, ProbeOutcome } from './probe-context';

export function tcpProbe(check: NonNullable<HealthCheck['tcp']>, context: ProbeContext): Promise<ProbeOutcome> {
  return new Promise((settle) => {
    const socket = connect({ host: check.host, port: check.port, timeout: context.timeoutMs });
    socket.once('connect', () => {
      // Hang up politely (FIN, not RST): a check must not hurt the service it checks.
      socket.on('error', () => undefined);
      socket.end();
      settle({ ok: true, message: `connected to ${check.host}:${check.port}` });
    });
    socket.once('timeout', () => {
      socket.destroy();
      settle({ ok: false, message: `no connection within ${context.timeoutMs}ms` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => settle({ ok: false, message: describeNetworkError(error) }));
  });
}
