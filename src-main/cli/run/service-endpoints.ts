/**
 * Where a service answers, as far as its registry entry says, for the environment of the command
 * `provisioning run` runs: `PROVISIONING_<NAME>_URL`, `_HOST` and `_PORT` (NAME upper-cased, dashes
 * as underscores: `control-center` → `PROVISIONING_CONTROL_CENTER_URL`; service names have no
 * underscores, so no two collide). In order of trust:
 * - a remote service's `url`, as written; else the origin (`http://host:port`) of its http check;
 * - host and port from that URL (the scheme's default port when it names none), else from its tcp
 *   check, else its first declared tcp port or the first tcp port its docker container publishes,
 *   on 127.0.0.1.
 * A service that says none of these gets no variables. `${home}` and `${registry_dir}` expand as
 * the engine expands them for its checks.
 */
import { DOCKER_PORT_PATTERN, expandPlaceholders, type Placeholder, type ServiceDefinition } from '@shared/model';

export interface Endpoint {
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

export function endpointOf(service: ServiceDefinition, placeholders: Readonly<Record<Placeholder, string>>): Endpoint {
  const remote = service.deployment.mode === 'remote' ? service.deployment.remote?.url : undefined;
  const check = service.health_check;
  const url = parseUrl(remote ?? (check?.type === 'http' ? check.http?.url : undefined), placeholders);
  if (url) {
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
    return { url: remote !== undefined ? url.href.replace(/\/$/, '') : url.origin, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  }
  if (check?.type === 'tcp' && check.tcp) return { host: check.tcp.host, port: check.tcp.port };
  const port = firstTcpPort(service);
  return port === undefined ? {} : { host: '127.0.0.1', port };
}

/** The variables of each service that has an endpoint. */
export function endpointEnv(services: readonly ServiceDefinition[], placeholders: Readonly<Record<Placeholder, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const service of services) {
    const { url, host, port } = endpointOf(service, placeholders);
    const prefix = endpointPrefix(service.name);
    if (url !== undefined) env[`${prefix}_URL`] = url;
    if (host !== undefined) env[`${prefix}_HOST`] = host;
    if (port !== undefined) env[`${prefix}_PORT`] = String(port);
  }
  return env;
}

export const endpointPrefix = (service: string): string => `PROVISIONING_${service.toUpperCase().replaceAll('-', '_')}`;

function parseUrl(text: string | undefined, placeholders: Readonly<Record<Placeholder, string>>): URL | undefined {
  if (text === undefined) return undefined;
  try {
    return new URL(expandPlaceholders(text, placeholders));
  } catch {
    return undefined;
  }
}

function firstTcpPort(service: ServiceDefinition): number | undefined {
  for (const port of service.ports) {
    if (typeof port === 'number') return port;
    if (port.endsWith('/tcp')) return Number(port.slice(0, -4));
  }
  if (service.deployment.mode !== 'docker') return undefined;
  for (const mapping of service.deployment.docker?.ports ?? []) {
    const [, host, , protocol = 'tcp'] = DOCKER_PORT_PATTERN.exec(mapping) ?? [];
    if (host && protocol === 'tcp') return Number(host);
  }
  return undefined;
}
