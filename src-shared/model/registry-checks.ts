/**
 * Checks that span fields or services, beyond what the schema of one service can say:
 * mode and check sub-tables, unknown or self dependencies, cycles, impossible conflicts, port clashes.
 */
import { buildGraph, dependenciesOf, findCycles, type DependencyGraph } from '../graph';
import { DEPLOYMENT_MODES, DOCKER_PORT_PATTERN } from './deployment-schema';
import { suggestion } from './did-you-mean';
import { formatDuration } from './duration';
import { HEALTH_CHECK_TYPES } from './health-check-schema';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders';
import { error, formatKeyPath, warning, type KeyPath, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';

type Table = Record<string, unknown>;
const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkRegistry(raw: Table, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const names = Object.keys(raw);
  const known = new Set(names);
  for (const name of names) {
    const service = raw[name];
    if (!isTable(service)) continue;
    issues.push(...selectedSubTable(service, name, 'deployment', 'mode', DEPLOYMENT_MODES));
    issues.push(...selectedSubTable(service, name, 'health_check', 'type', HEALTH_CHECK_TYPES));
    issues.push(...nameList(service, name, 'dependencies', (entry) =>
      entry === name ? 'a service cannot depend on itself'
      : known.has(entry) ? undefined
      : `unknown service '${entry}'${suggestion(entry, names)}`));
    issues.push(...nameList(service, name, 'conflicts', (entry) =>
      entry === name ? 'a service cannot conflict with itself' : undefined));
    issues.push(...placeholderReferences(service, ['services', name]));
  }
  for (const service of services) issues.push(...perService(service));
  const valid = new Set(services.map((s) => s.name));
  const graph = buildGraph(
    services.map((s) => ({ ...s, dependencies: s.dependencies.filter((d) => d !== s.name && valid.has(d)) })),
  );
  const cycles = findCycles(graph);
  issues.push(...cycles.map((cycle) => cycleIssue(services, cycle)));
  if (cycles.length === 0) issues.push(...impossibleConflicts(graph, services));
  issues.push(...portClashes(services));
  issues.push(...ordersBeforeDependencies(services));
  return issues;
}

/** `deployment.mode = "docker"` needs `deployment.docker`; `health_check.type = "http"` needs `health_check.http`. */
function selectedSubTable(service: Table, name: string, table: string, key: string, choices: readonly string[]): RegistryIssue[] {
  const section = service[table];
  if (!isTable(section)) return [];
  const selected = section[key];
  if (typeof selected !== 'string' || !choices.includes(selected) || section[selected] !== undefined) return [];
  return [error(['services', name, table, selected], `required when ${key} = "${selected}"`)];
}

/** Entries of a name list: duplicates and whatever `problem` says of an entry. */
function nameList(service: Table, name: string, key: string, problem: (entry: string) => string | undefined): RegistryIssue[] {
  const list = service[key];
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  return list.flatMap((entry, i): RegistryIssue[] => {
    const path = ['services', name, key, i];
    if (seen.has(entry)) return [error(path, `'${String(entry)}' is listed twice`)];
    seen.add(entry);
    const message = typeof entry === 'string' ? problem(entry) : undefined;
    return message ? [error(path, message)] : [];
  });
}

function perService(service: ServiceDefinition): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const kubernetes = service.deployment.kubernetes;
  if (kubernetes && kubernetes.manifests.length === 0 && !kubernetes.helm) {
    issues.push(error(['services', service.name, 'deployment', 'kubernetes'], 'needs `manifests` or a `helm` chart'));
  }
  const check = service.health_check;
  if (check && check.timeout > check.interval) {
    issues.push(warning(['services', service.name, 'health_check', 'timeout'],
      `${formatDuration(check.timeout)} is longer than the interval ${formatDuration(check.interval)}`));
  }
  return issues;
}

function cycleIssue(services: readonly ServiceDefinition[], cycle: readonly string[]): RegistryIssue {
  const [first, second] = cycle as [string, string];
  const entry = services.find((s) => s.name === first)!.dependencies.indexOf(second);
  return error(['services', first, 'dependencies', entry], `dependency cycle: ${cycle.join(' → ')}`);
}

/** A service that needs what it conflicts with can never start; two auto-start services that conflict cannot both. */
function impossibleConflicts(graph: DependencyGraph, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((service) => {
    if (service.conflicts.length === 0) return [];
    const needs = new Set(dependenciesOf(graph, [service.name]));
    return service.conflicts.flatMap((other, i): RegistryIssue[] => {
      const path = ['services', service.name, 'conflicts', i];
      if (needs.has(other)) return [error(path, `conflicts with '${other}', which it depends on`)];
      if (service.auto_start && byName.get(other)?.auto_start) {
        return [error(path, `conflicts with '${other}', but both have auto_start = true`)];
      }
      return [];
    });
  });
}

/** Two services listening on the same host port, unless they are declared as conflicting (never both up). */
function portClashes(services: readonly ServiceDefinition[]): RegistryIssue[] {
  const owners = new Map<string, { service: ServiceDefinition; path: KeyPath }>();
  const issues: RegistryIssue[] = [];
  for (const service of services) {
    for (const { port, path } of hostPorts(service)) {
      const owner = owners.get(port);
      if (!owner) owners.set(port, { service, path });
      else if (owner.service !== service && !conflicting(owner.service, service)) {
        issues.push(error(path, `port ${port} is also used by '${owner.service.name}' (${formatKeyPath(owner.path)})`));
      }
    }
  }
  return issues;
}

const conflicting = (a: ServiceDefinition, b: ServiceDefinition) => a.conflicts.includes(b.name) || b.conflicts.includes(a.name);

function hostPorts(service: ServiceDefinition): { port: string; path: KeyPath }[] {
  const declared = service.ports.map((port, i) => ({
    port: typeof port === 'number' ? `${port}/tcp` : port,
    path: ['services', service.name, 'ports', i],
  }));
  const docker = service.deployment.mode === 'docker' ? (service.deployment.docker?.ports ?? []) : [];
  const published = docker.flatMap((mapping, i) => {
    const [, host, , protocol = 'tcp'] = DOCKER_PORT_PATTERN.exec(mapping) ?? [];
    return host ? [{ port: `${Number(host)}/${protocol}`, path: ['services', service.name, 'deployment', 'docker', 'ports', i] }] : [];
  });
  return [...declared, ...published];
}

/** `order` only breaks ties, so an order lower than a dependency's promises what cannot happen. */
function ordersBeforeDependencies(services: readonly ServiceDefinition[]): RegistryIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((service) => {
    const earlier = service.dependencies.map((d) => byName.get(d)).find((d) => d && d.order > service.order);
    if (!earlier) return [];
    return [warning(['services', service.name, 'order'],
      `${service.order} is lower than the order of its dependency '${earlier.name}' (${earlier.order}); dependencies always start first`)];
  });
}

/** Every string but the description may use `${home}` and `${registry_dir}`; anything else is a typo. */
function placeholderReferences(service: Table, at: KeyPath): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const path: (string | number)[] = [...at];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const name of unknownPlaceholders(value)) {
        const known = PLACEHOLDERS.map((p) => `\${${p}}`).join(', ');
        issues.push(error([...path], `unknown placeholder \${${name}}; known: ${known}${suggestion(name, PLACEHOLDERS)}`));
      }
    } else if (Array.isArray(value) || isTable(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (path.length === at.length && key === 'description') continue;
        path.push(Array.isArray(value) ? Number(key) : key);
        visit(item);
        path.pop();
      }
    }
  };
  visit(service);
  return issues;
}
