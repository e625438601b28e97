/**
 * Checks on the dependency graph: cycles (on every service whose name is valid, so a cycle is reported
 * even while one of its services has other errors), conflicts that make a start impossible, and
 * orders that contradict dependencies.
 */
import { buildGraph, dependenciesOf, findCycles, type DependencyGraph } from '../graph';
import { error, warning, type RegistryIssue } from './registry-issue';
import { SERVICE_NAME_PATTERN } from './schema-primitives';
import type { ServiceDefinition } from './service-schema';
import { isTable, type Table } from './table';

export function dependencyChecks(raw: Table, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const graph = buildGraph([...rawDependencies(raw)].map(([name, dependencies]) => ({ name, order: 0, dependencies })));
  const cycles = findCycles(graph);
  if (cycles.length > 0) {
    return cycles.map((cycle) => {
      const [first, second] = cycle as [string, string];
      const entries = (raw[first] as Table)['dependencies'] as unknown[];
      return error(['services', first, 'dependencies', entries.indexOf(second)], `dependency cycle: ${cycle.join(' → ')}`);
    });
  }
  return [...impossibleConflicts(graph, services), ...ordersBeforeDependencies(services)];
}

/** Each validly named service with its dependency entries that name another known service. */
function rawDependencies(raw: Table): Map<string, string[]> {
  const names = Object.keys(raw).filter((name) => SERVICE_NAME_PATTERN.test(name));
  const known = new Set(names);
  return new Map(
    names.map((name) => {
      const service = raw[name];
      const list = isTable(service) && Array.isArray(service['dependencies']) ? service['dependencies'] : [];
      const dependencies = [...new Set(list.filter((d): d is string => typeof d === 'string' && d !== name && known.has(d)))];
      return [name, dependencies];
    }),
  );
}

/**
 * A service can never start when it needs something it conflicts with (declared on either side);
 * two auto-start services that conflict cannot both start.
 */
function impossibleConflicts(graph: DependencyGraph, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const issues: RegistryIssue[] = [];
  for (const service of services) {
    service.conflicts.forEach((other, i) => {
      if (service.conflicts.indexOf(other) !== i) return; // a duplicate entry, reported as such
      const path = ['services', service.name, 'conflicts', i];
      if (graph.index.has(other) && dependenciesOf(graph, [service.name]).includes(other)) {
        issues.push(error(path, `conflicts with '${other}', which it depends on`));
      } else if (graph.index.has(other) && dependenciesOf(graph, [other]).includes(service.name)) {
        issues.push(error(path, `conflicts with '${other}', which depends on it`));
      } else if (service.auto_start && byName.get(other)?.auto_start) {
        issues.push(error(path, `conflicts with '${other}', but both have auto_start = true`));
      }
    });
  }
  return issues;
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
