/**
 * Every process we start carries markers in its environment, and children inherit them. Scanning for
 * them finds a service's processes even when its state file is lost or a grandchild left the process
 * group (setsid): the last line of defence against orphans. Linux only; elsewhere the pid records serve.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { identify, processGroupOf } from './process-identity';

/** The provisioning home that started the process: one machine may run several homes (tests do). */
export const OWNER_VARIABLE = 'PROVISIONING_OWNER';
export const SERVICE_VARIABLE = 'PROVISIONING_SERVICE';
export const INSTANCE_VARIABLE = 'PROVISIONING_INSTANCE';

export interface ManagedProcess {
  readonly pid: number;
  readonly startTime: string;
  readonly pgid: number | undefined;
  readonly service: string;
  readonly instance: string;
}

export function markers(home: string, service: string, instance: string): Record<string, string> {
  return { [OWNER_VARIABLE]: home, [SERVICE_VARIABLE]: service, [INSTANCE_VARIABLE]: instance };
}

/** Concurrent stops each poll for leftovers; one scan of /proc serves all polls within this window. */
const SCAN_REUSE_MS = 10;
let lastScan: { home: string; at: number; found: ManagedProcess[] } | undefined;

/** Live processes started by this home, optionally of one instance. */
export function managedProcesses(home: string, instance?: string): ManagedProcess[] {
  if (process.platform !== 'linux') return [];
  const now = performance.now();
  if (lastScan?.home !== home || now - lastScan.at > SCAN_REUSE_MS) lastScan = { home, at: now, found: scan(home) };
  return instance === undefined ? [...lastScan.found] : lastScan.found.filter((p) => p.instance === instance);
}

function scan(home: string): ManagedProcess[] {
  const owner = `${OWNER_VARIABLE}=${home}`;
  const found: ManagedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string[];
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\u0000');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(owner)) continue;
    const value = (name: string) => environ.find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
    const identity = identify(pid);
    if (!identity) continue;
    found.push({ pid, startTime: identity.startTime, pgid: processGroupOf(pid), service: value(SERVICE_VARIABLE), instance: value(INSTANCE_VARIABLE) });
  }
  return found;
}
