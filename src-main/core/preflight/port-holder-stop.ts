/**
 * A process that is not ours holding a port a registry service needs: Preflight offers to stop it
 * (a `stop-process` remedy), and stops it only once a person confirmed — and only if, checked again
 * at that moment, it is the same process (pid *and* start time: a pid reused since is a stranger),
 * it still listens on that port, it runs as the owner's own user (never another user's process,
 * even for an owner that runs as root), and the port is one a registry service declares. Any face
 * may ask (the web host's sessions too), so this is all it can do: one SIGTERM to such a process.
 * It is never followed by SIGKILL: the program is someone's own, not ours, and a term lets it
 * clean up; one that does not end is reported so, for the person to decide.
 */
import type { PortHolderStop, ProcessHolder, StopProcessRemedy } from '@shared/contract/health';
import type { ServiceDefinition } from '@shared/model';
import { EngineError } from '../engine-errors';
import { identify, readProc, realUidOf } from '../process/process-identity';
import { listensOn } from './port-owners';
import { portSpec } from './preflight';

/** How long a stop waits for the process to end before saying it did not. */
export const PORT_HOLDER_WAIT_MS = 5_000;
const POLL_MS = 50;

/** The remedy for a port this process holds, or undefined when it is not one stopPortHolder would stop (gone, another user's, the owner itself). */
export function outsideHolderRemedy(port: number, protocol: 'tcp' | 'udp', pid: number): StopProcessRemedy | undefined {
  const startTime = identify(pid)?.startTime;
  if (startTime === undefined || refusalOf({ port, protocol, pid, startTime }) !== undefined) return undefined;
  return { action: 'stop-process', port, protocol, pid, startTime, command: commandName(pid) };
}

export interface PortHolderStopOptions {
  /** The registry that runs: only a port one of its services declares may be freed. */
  readonly services: readonly ServiceDefinition[];
  readonly waitMs?: number;
}

/** SIGTERM to the holder, after checking it again; whether it ended within the wait. Refusals are EngineErrors, nothing signalled. */
export async function stopPortHolder(holder: ProcessHolder, { services, waitMs = PORT_HOLDER_WAIT_MS }: PortHolderStopOptions): Promise<PortHolderStop> {
  const { port, protocol, pid } = holder;
  const needing = services.filter((s) => s.ports.map(portSpec).some((p) => p.number === port && p.protocol === protocol));
  if (needing.length === 0)
    throw new EngineError(`refused: no service of the registry needs port ${port}/${protocol}; only a process holding such a port is stopped`);
  const command = commandName(pid);
  const refusal = refusalOf(holder);
  if (refusal) throw new EngineError(`refused to stop pid ${pid}: ${refusal}`);
  // Checked and signalled in one turn of the event loop; the start time was read again just above.
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + waitMs;
  while (identify(pid)?.startTime === holder.startTime && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const ended = identify(pid)?.startTime !== holder.startTime;
  const freed = `port ${port}/${protocol} (needed by ${needing.map((s) => s.name).join(', ')})`;
  const message = ended
    ? `stopped ${command} (pid ${pid}), which held ${freed}`
    : `sent SIGTERM to ${command} (pid ${pid}), which holds ${freed}, but it still runs after ${waitMs / 1000} s; it may ignore SIGTERM: stop it yourself (kill -9 ${pid})`;
  return { pid, port, command, ended, message };
}

/** Why this process may not be stopped from here, or undefined when it may. */
function refusalOf({ port, protocol, pid, startTime }: ProcessHolder): string | undefined {
  if (pid === process.pid) return 'it is this manager itself';
  const now = identify(pid);
  if (!now) return 'no such process now (it has ended)';
  if (now.startTime !== startTime) return 'that pid now names another process (the one preflight saw has ended); check again';
  const uid = realUidOf(pid);
  const own = process.getuid?.();
  if (uid === undefined || own === undefined) return 'whose process it is cannot be told on this system';
  if (uid !== own) return `it runs as another user (uid ${uid}); only that user (or an administrator, by hand) may stop it`;
  if (!listensOn(pid, port, protocol)) return `it no longer holds port ${port}/${protocol}; check again`;
  return undefined;
}

/** What `ps` shows as its name (the kernel's comm, at most 15 bytes). */
function commandName(pid: number): string {
  return readProc(pid, 'comm')?.trim() || `pid ${pid}`;
}
