/**
 * What the views show, derived by pure functions from the snapshot and the registry graph (as Tilt's
 * web UI does): the platform summary, filters, a stop's blast radius, and the words for a node's
 * trouble; what a state means (its tone, trouble) is the contract's state-meaning table. Unit-tested
 * without a browser.
 */
import type { GraphService } from '@shared/contract/registry';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { isTrouble, satisfies, toneOf, type Tone } from '@shared/contract/state-meaning';
import { buildGraph, dependentsOf, findCycles } from '@shared/graph';

export interface PlatformSummary {
  readonly total: number;
  readonly byTone: Readonly<Record<Tone, number>>;
  /** One line for the header: "4 of 6 healthy · 1 failing". */
  readonly line: string;
}

export function platformSummary(statuses: readonly ServiceStatus[]): PlatformSummary {
  const byTone: Record<Tone, number> = { ok: 0, busy: 0, warn: 0, bad: 0, idle: 0, done: 0 };
  for (const status of statuses) byTone[toneOf(status.state)]++;
  const parts = [`${byTone.ok + byTone.done} of ${statuses.length} serving`];
  if (byTone.busy) parts.push(`${byTone.busy} changing`);
  if (byTone.warn) parts.push(`${byTone.warn} in trouble`);
  if (byTone.bad) parts.push(`${byTone.bad} failing`);
  return { total: statuses.length, byTone, line: parts.join(' · ') };
}

/** Whether every word of a search appears in one of the fields (case-insensitive): the one meaning of search. */
export function matchesSearch(search: string, ...fields: string[]): boolean {
  const haystack = fields.join(' ').toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export type StateFilter = 'all' | 'running' | 'trouble' | 'stopped';

/** Services matching a search (name, mode, state or description) and a state filter, in name order. */
export function filterServices(
  statuses: readonly ServiceStatus[],
  search: string,
  filter: StateFilter,
  descriptions: ReadonlyMap<string, string> = new Map(),
): ServiceStatus[] {
  return statuses
    .filter((s) => {
      if (filter === 'running' && !(isRunning(s) || s.state === 'external')) return false;
      if (filter === 'trouble' && !isTrouble(s.state)) return false;
      if (filter === 'stopped' && toneOf(s.state) !== 'idle') return false;
      return matchesSearch(search, s.name, s.mode, s.state, descriptions.get(s.name) ?? '');
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The running services a stop of `name` would take down with it (its blast radius), dependents first. */
export function stopImpact(services: readonly GraphService[], statuses: ReadonlyMap<string, ServiceStatus>, name: string): string[] {
  if (!services.some((s) => s.name === name)) return [];
  return dependentsOf(buildGraph(services), [name]).filter((dependent) => isRunning(statuses.get(dependent)));
}

/** What a hover over a node says: its state's reason, and for blocked or degraded what it waits on. */
export function troubleOf(status: ServiceStatus | undefined, service: GraphService, statuses: ReadonlyMap<string, ServiceStatus>): string | undefined {
  if (!status) return undefined;
  const tone = toneOf(status.state);
  if (tone === 'ok' || tone === 'idle' || tone === 'done') return undefined;
  const waiting = service.dependencies
    .filter((d) => !satisfies(service.conditions?.[d] ?? 'healthy', statuses.get(d)?.state ?? 'stopped'))
    .map((d) => `${d} is ${statuses.get(d)?.state ?? 'unknown'}`);
  return [
    `${status.state}: ${status.reason}`,
    ...(waiting.length > 0 && (status.state === 'blocked' || status.state === 'degraded') ? [`waiting on ${waiting.join(', ')}`] : []),
  ].join('\n');
}

/** The cycle adding `service → dependency` would close (`a → … → a`, first name repeated), or undefined. */
export function cycleIfAdded(services: readonly GraphService[], service: string, dependency: string): string[] | undefined {
  if (service === dependency) return [service, service];
  const edited = services.map((s) => (s.name === service ? { ...s, dependencies: [...s.dependencies, dependency] } : s));
  return findCycles(buildGraph(edited)).find((cycle) => cycle.includes(service) && cycle.includes(dependency));
}

/** "3d 4h", "12m 5s", "40s": how long it has run. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
