/**
 * The links a face shows for a service: its own `links`, then one per HTTP port. A port is an HTTP
 * port when the service's http health check probes it on this machine (a loopback host): the probe
 * proves it answers HTTP there, with that scheme. Nothing else is guessed — a TCP port may be
 * Postgres, a container port 8080 may be anything — so other pages are named in `links`.
 */
import { hostPorts } from './port-checks';
import type { ServiceDefinition } from './service-schema';

export interface Link {
  readonly name: string;
  readonly url: string;
  /** Made from a port and the health check, not written in the registry. */
  readonly derived?: true;
}

/** WHATWG URL, present in Node and in browsers alike (src-shared is typed without either). */
const WhatwgUrl = (globalThis as unknown as { URL: new (input: string, base?: string) => { protocol: string; hostname: string; port: string; href: string } })
  .URL;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function serviceLinks(service: ServiceDefinition): Link[] {
  const links: Link[] = service.links.map(({ name, url }) => ({ name, url }));
  const derived = httpPortLink(service);
  if (derived && !links.some((link) => sameUrl(link.url, derived.url))) links.push(derived);
  return links;
}

function httpPortLink(service: ServiceDefinition): Link | undefined {
  const url = service.health_check?.type === 'http' ? service.health_check.http?.url : undefined;
  const probed = url === undefined ? undefined : parsed(url);
  if (!probed || !LOOPBACK.test(probed.hostname)) return undefined;
  const port = probed.port || (probed.protocol === 'https:' ? '443' : '80');
  const listening = hostPorts(service).some((use) => use.port === `${port}/tcp`);
  return listening ? { name: `port ${port}`, url: new WhatwgUrl('/', probed.href).href, derived: true } : undefined;
}

function parsed(url: string) {
  try {
    return new WhatwgUrl(url);
  } catch {
    return undefined;
  }
}

const sameUrl = (a: string, b: string): boolean => (parsed(a)?.href ?? a) === (parsed(b)?.href ?? b);
