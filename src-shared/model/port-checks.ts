/**
 * Host port clashes: two services on one port, unless they are declared as conflicting (never both up).
 * Linear in the port entries: each (service, port) pair looks for its clash once, among the services
 * already on that port, passing over only those it conflicts with.
 */
import { DOCKER_PORT_PATTERN } from './deployment-schema';
import { error, formatKeyPath, type KeyPath, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';

interface PortUse {
  readonly service: ServiceDefinition;
  readonly path: KeyPath;
}

export function portClashes(services: readonly ServiceDefinition[]): RegistryIssue[] {
  const conflicts = conflictSets(services);
  const conflicting = (a: ServiceDefinition, b: ServiceDefinition) => conflicts.get(a)!.has(b.name) || conflicts.get(b)!.has(a.name);
  /** Per port, its first use by each service, in file order. */
  const users = new Map<string, PortUse[]>();
  const issues: RegistryIssue[] = [];
  for (const service of services) {
    const declaredHere = new Set<string>();
    /** The clash each port of this service has (null: none), found at its first use. */
    const clashes = new Map<string, PortUse | null>();
    for (const { port, path, declared } of hostPorts(service)) {
      if (declared && declaredHere.has(port)) issues.push(error(path, `port ${port} is listed twice`));
      if (declared) declaredHere.add(port);
      let clash = clashes.get(port);
      if (clash === undefined) {
        let earlier = users.get(port);
        if (!earlier) users.set(port, (earlier = []));
        clash = earlier.find((use) => !conflicting(use.service, service)) ?? null;
        clashes.set(port, clash);
        earlier.push({ service, path });
      }
      if (clash) issues.push(error(path, `port ${port} is also used by '${clash.service.name}' (${formatKeyPath(clash.path)})`));
    }
  }
  return issues;
}

const conflictSets = (services: readonly ServiceDefinition[]) => new Map(services.map((s) => [s, new Set(s.conflicts)]));

/** Declared listen ports, then ports a docker service publishes (a service may name a port both ways). */
export function hostPorts(service: Pick<ServiceDefinition, 'name' | 'ports' | 'deployment'>): { port: string; path: KeyPath; declared: boolean }[] {
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
