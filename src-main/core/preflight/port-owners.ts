/**
 * Who listens on a port: Linux socket tables (/proc/net/tcp*, udp*) give the socket's inode, and the
 * process holding that inode among its file descriptors is the owner. Elsewhere a bind attempt
 * says only whether the port is free.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PortOwner {
  readonly pid: number | undefined;
  readonly command: string | undefined;
}

const LISTEN = '0A';
const UDP_BOUND = '07';

/** Inodes of sockets listening on the port (TCP) or bound to it (UDP). */
function listeningInodes(port: number, protocol: 'tcp' | 'udp'): Set<string> {
  const inodes = new Set<string>();
  for (const table of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1]!.split(':')[1]!, 16);
      if (localPort === port && fields[3] === (protocol === 'tcp' ? LISTEN : UDP_BOUND)) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

function ownerOfInodes(inodes: Set<string>): PortOwner {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && holdsInode(pid, inodes)) return { pid, command: commandLine(pid) };
  }
  return { pid: undefined, command: undefined };
}

/** Whether one of the process's file descriptors is one of these sockets (false when it is gone or not ours to read). */
function holdsInode(pid: number, inodes: Set<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}

/** Whether this process listens on (TCP) or is bound to (UDP) the port now (Linux; elsewhere it cannot be told: false). */
export function listensOn(pid: number, port: number, protocol: 'tcp' | 'udp' = 'tcp'): boolean {
  if (process.platform !== 'linux') return false;
  const inodes = listeningInodes(port, protocol);
  return inodes.size > 0 && holdsInode(pid, inodes);
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').filter(Boolean).join(' ') || undefined;
  } catch {
    return undefined;
  }
}

/** The owner of a taken port, or undefined when the port is free. */
export async function portOwner(port: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<PortOwner | undefined> {
  if (process.platform === 'linux') {
    const inodes = listeningInodes(port, protocol);
    return inodes.size === 0 ? undefined : ownerOfInodes(inodes);
  }
  if (protocol === 'udp') return undefined;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
  return free ? undefined : { pid: undefined, command: undefined };
}
