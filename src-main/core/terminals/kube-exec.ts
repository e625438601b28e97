/**
 * A terminal in a pod of a kubernetes service: the Kubernetes exec API (@kubernetes/client-node's
 * Exec, a WebSocket to the API server) into the first running pod of its Deployment, its first
 * container; with a TTY, resized through the exec's resize channel (the client reads the size
 * from its stdout's `columns` / `rows` and a `resize` event). The exit code comes from the
 * status the API server sends at the end. As with Docker, a hang-up closes the stream; the
 * cluster's runtime decides whether the program sees it.
 */
import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { EngineError } from '../engine-errors';
import { writeBounded, type TerminalEnd, type TerminalProcess, type TerminalRequest } from './terminal-process';

const SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

export async function openKubeExec(
  config: KubeConfig,
  namespace: string,
  selector: string,
  workload: string,
  request: TerminalRequest,
): Promise<TerminalProcess> {
  const { CoreV1Api, Exec } = await import('@kubernetes/client-node');
  const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: selector });
  const pod = pods.items.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  const container = pod?.spec?.containers[0]?.name;
  if (!pod?.metadata?.name || !container) throw new EngineError(`${workload} has no running pod to open a terminal in`);
  const stdin = new PassThrough();
  const sink = (stream: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        request.output(chunk, stream);
        done();
      },
    });
  // The client resizes what has a size and says when it changes.
  const stdout = Object.assign(sink('stdout'), { columns: request.cols, rows: request.rows });
  let status: V1Status | undefined;
  const socket = await new Exec(config).exec(
    namespace,
    pod.metadata.name,
    container,
    request.cmd ? [...request.cmd] : SHELL,
    stdout,
    request.tty ? null : sink('stderr'),
    stdin,
    request.tty,
    (sent) => (status = sent),
  );
  const ended = new Promise<TerminalEnd>((resolve) => socket.once('close', () => resolve(endOf(status))));
  return {
    ended,
    write: (data) => writeBounded(stdin.writableLength, () => stdin.write(data)),
    endInput: () => void stdin.end(),
    resize: (cols, rows) => {
      Object.assign(stdout, { columns: cols, rows });
      stdout.emit('resize');
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    close: () => socket.close(),
  };
}

/** The exit the API server reported: Success is 0, a failure carries its code as an `ExitCode` cause. */
function endOf(status: V1Status | undefined): TerminalEnd {
  if (!status) return { code: null, signal: null, reason: 'the cluster closed the stream without an exit status' };
  if (status.status === 'Success') return { code: 0, signal: null };
  const code = Number(status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message);
  return Number.isInteger(code) ? { code, signal: null } : { code: null, signal: null, reason: status.message ?? 'the command failed' };
}
