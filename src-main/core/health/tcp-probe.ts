/** TCP check: the port accepts a connection within the timeout. */
import { connect } from 'node:net';
import type { HealthCheck } from '@shared/model';
import { describeNetworkError } from './http-probe';
import type { ProbeContext, ProbeOutcome } from './probe-context';

export function tcpProbe(check: NonNullable<HealthCheck['tcp']>, context: ProbeContext): Promise<ProbeOutcome> {
  return new Promise((settle) => {
    const socket = connect({ host: check.host, port: check.port });
    // One plain timer, not the socket's idle timeout (re-armed on every event): cheaper at hundreds of checks a second.
    const timer = setTimeout(() => {
      socket.destroy();
      settle({ ok: false, message: `no connection within ${context.timeoutMs}ms` });
    }, context.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      // Closing a connected socket with nothing unread sends FIN, not RST: a check must not hurt the
      // service it checks, nor keep a half-open socket when the peer never answers.
      socket.destroy();
      settle({ ok: true, message: `connected to ${check.host}:${check.port}` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      settle({ ok: false, message: describeNetworkError(error) });
    });
  });
}
