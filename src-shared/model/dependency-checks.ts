/**
 * Checks on the dependency graph: cycles (on every service whose name is valid, so a cycle is reported
 * even while one of its services has other errors), conflicts that make a start impossible, and
 * orders that contradict dependencies. Linear in the graph: what each service needs is walked at most
 * once, and within a budget proportional to the graph's size.
 */
import { buildGraph, findCycles, type DependencyGraph } from '../graph';
import { entryName } from './dependency-schema';
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
      const entries = ((raw[first] as Table)['dependencies'] as unknown[]).map(entryName);
      return error(['services', first, 'dependencies', entries.indexOf(second)], `dependency cycle: ${cycleText(cycle)}`);
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
      const named = list.map(entryName).filter((d): d is string => d !== undefined && d !== name && known.has(d));
      const dependencies = [...new Set(named)];
      return [name, dependencies];
    }),
  );
}

/** Names shown of a long cycle: enough to find it, without a message the size of the registry. */
const CYCLE_NAMES_SHOWN = 12;

function cycleText(cycle: readonly string[]): string {
  if (cycle.length <= CYCLE_NAMES_SHOWN + 1) return cycle.join(' → ');
  return `${cycle.slice(0, CYCLE_NAMES_SHOWN).join(' → ')} → … (${cycle.length - 1} services) → ${cycle[cycle.length - 1]}`;
}

/** Dependency edges walked to compare conflicts with dependencies: this many per node and edge, at least the floor. */
const WALKS_PER_GRAPH_SIZE = 64;
const WALKS_FLOOR = 1_000_000;

/**
 * A service can never start when it needs something it conflicts with (declared on either side);
 * two auto-start services that conflict cannot both start.
 */
function impossibleConflicts(graph: DependencyGraph, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const needs = transitiveNeeds(graph);
  const issues: RegistryIssue[] = [];
  let unchecked = false;
  for (const service of services) {
    const listed = new Set<string>();
    service.conflicts.forEach((other, i) => {
      if (listed.has(other)) return; // a duplicate entry, reported as such
      listed.add(other);
      const path = ['services', service.name, 'conflicts', i];
      const known = graph.index.has(other) && graph.index.has(service.name);
      const needsOther = known ? needs(service.name, other) : false;
      const neededByOther = known && needsOther === false ? needs(other, service.name) : false;
      if (needsOther === undefined || neededByOther === undefined) {
        if (!unchecked)
          issues.push(warning(path, 'this and later conflicts were not compared with the dependencies: too many conflicts in a large graph to check them all'));
        unchecked = true;
      } else if (needsOther) issues.push(error(path, `conflicts with '${other}', which it depends on`));
      else if (neededByOther) issues.push(error(path, `conflicts with '${other}', which depends on it`));
      else if (service.auto_start && byName.get(other)?.auto_start) {
        issues.push(error(path, `conflicts with '${other}', but both have auto_start = true`));
      }
    });
  }
  return issues;
}

/**
 * `needs(a, b)`: whether a depends on b, directly or not; undefined once the walking budget is spent.
 * Each service's needs are walked once and kept, so a service with many conflicts costs one walk.
 */
function transitiveNeeds(graph: DependencyGraph): (a: string, b: string) => boolean | undefined {
  const walked = new Map<number, Set<number>>();
  const size = graph.names.length + graph.deps.reduce((sum, deps) => sum + deps.length, 0);
  let budget = Math.max(WALKS_FLOOR, WALKS_PER_GRAPH_SIZE * size);
  const walk = (start: number): Set<number> | undefined => {
    const seen = new Set<number>();
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      for (const next of graph.deps[queue[head]!]!) {
        if (--budget < 0) return undefined;
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  };
  return (a, b) => {
    const from = graph.index.get(a)!;
    let seen = walked.get(from);
    if (!seen) {
      seen = budget < 0 ? undefined : walk(from);
      if (!seen) return undefined;
      walked.set(from, seen);
    }
    return seen.has(graph.index.get(b)!);
  };
}

/** `order` only breaks ties, so an order lower than a dependency's promises what cannot happen. */
function ordersBeforeDependencies(services: readonly ServiceDefinition[]): RegistryIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((service) => {
    const earlier = service.dependencies.map((d) => byName.get(d)).find((d) => d && d.order > service.order);
    if (!earlier) return [];
    return [
      warning(
        ['services', service.name, 'order'],
        `${service.order} is lower than the order of its dependency '${earlier.name}' (${earlier.order}); dependencies always start first`,
      ),
    ];
  });
}
