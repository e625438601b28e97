/**
 * The demo registry (config/demo.toml) as a copy that can run beside anything: its paths made
 * absolute and each of its fixed ports (4701–4706) moved to one the kernel gives now, so neither the
 * demo itself nor another test on this machine can hold a port it needs.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { DEMO } from './engine-harness';

/** `count` distinct ports nothing listens on now: all held open together, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** The copy's text, and which free port took the place of each demo port. */
export async function demoRegistryWithFreePorts(): Promise<{ text: string; ports: ReadonlyMap<number, number> }> {
  const original = readFileSync(join(process.cwd(), 'config', 'demo.toml'), 'utf8');
  const demoPorts = [...new Set([...original.matchAll(/\b47\d\d\b/g)].map(([port]) => Number(port)))];
  const free = await freePorts(demoPorts.length);
  const ports = new Map(demoPorts.map((port, i) => [port, free[i]!]));
  const text = original.replaceAll('../platform/demo', DEMO).replace(/\b47\d\d\b/g, (port) => String(ports.get(Number(port))));
  return { text, ports };
}
