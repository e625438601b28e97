/** Host port clashes: two services on one port, unless they are declared as conflicting (never both up). */
import { DOCKER_PORT_PATTERN } from './deployment-schema';
import { error, formatKeyPath, type KeyPath, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';

interface PortUse {
  readonly service: ServiceDefinition;
  readonly path: KeyPath;
}

export function portClashes(services: readonly ServiceDefinition[]): RegistryIssue[] {
  const users = new Map<string, PortUse[]>();
  const issues: RegistryIssue[] = [];
  for (const service of services) {
    const own = new Set<string>();
    for (const { port, path, declared } of hostPorts(service)) {
      if (declared && own.has(port)) issues.push(error(path, `port ${port} is listed twice`));
      if (declared) own.add(port);
      const earlier = users.get(port) ?? [];
      const clash = earlier.find((use) => use.service !== service && !conflicting(use.service, service));
      if (clash) issues.push(error(path, `port ${port} is also used by '${clash.service.name}' (${formatKeyPath(clash.path)})`));
      users.set(port, [...earlier, { service, path }]);
    }
  }
  return issues;
}

const conflicting = (a: ServiceDefinition, b: ServiceDefinition) => a.conflicts.includes(b.name) || b.conflicts.includes(a.name);

/** Declared listen ports, then ports a docker service publishes (a service may name a port both ways). */
function hostPorts(service: ServiceDefinition): { port: string; path: KeyPath; declared: boolean }[] {
  const declared = service.ports.map((port, i) => ({
    port: typeof port === 'number' ? `${port}/tcp` : port,
    path: ['services', service.name, 'ports', i],
    declared: true,
  }));
  const docker = service.deployment.mode === 'docker' ? (service.deployment.docker?.ports ?? []) : [];
  const published = docker.flatMap((mapping, i) => {
    const [, host, , protocol = 'tcp'] = DOCKER_PORT_PATTERN.exec(mapping) ?? [];
    return host ? [{ port: `${Number(host)}/${protocol}`, path: ['services', service.name, 'deployment', 'docker', 'ports', i], declared: false }] : [];
  });
  return [...declared, ...published];
}
