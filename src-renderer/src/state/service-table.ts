/**
 * What the services table sorts by and how: pure, from a status and its registry entry. A value a
 * service does not have (no health check, not running, no usage sample) sorts last whichever way the
 * column is sorted, as a dash should; ties keep the name order. Uptime sorts by the start time, so
 * rows do not move as the clock ticks.
 */
import type { GraphService } from '@shared/contract/registry';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { toneOf, type Tone } from '@shared/contract/state-meaning';

export const SORT_KEYS = ['name', 'state', 'latency', 'uptime', 'restarts', 'lastExit', 'ports', 'cpu', 'memory', 'autoStart', 'labels'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

/** Trouble first when sorted by state ascending: what needs a look comes to the top. */
const TONE_RANK: Record<Tone, number> = { bad: 0, warn: 1, busy: 2, ok: 3, done: 4, idle: 5 };

type Value = string | number | undefined;

function valueOf(key: SortKey, status: ServiceStatus, service: GraphService | undefined): Value {
  switch (key) {
    case 'name':
      return status.name;
    case 'state':
      return `${TONE_RANK[toneOf(status.state)]} ${status.state}`;
    case 'latency':
      return status.health?.latencyMs;
    case 'uptime':
      // The earliest start has run longest.
      return isRunning(status) && status.startedAt !== undefined ? -status.startedAt : undefined;
    case 'restarts':
      return status.restarts;
    case 'lastExit':
      return status.lastExit?.at;
    case 'ports':
      return service?.ports.length ? Number.parseInt(service.ports[0]!, 10) : undefined;
    case 'cpu':
      return status.usage?.cpuPercent;
    case 'memory':
      return status.usage?.memoryBytes;
    case 'autoStart':
      return service === undefined ? undefined : service.autoStart ? 0 : 1;
    case 'labels':
      return service?.labels?.length ? service.labels.join(', ') : undefined;
  }
}

const compareValues = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));

/** The names in the sort's order (within one group: the caller sorts each group's names). */
export function sortNames(
  names: readonly string[],
  sort: Sort,
  statuses: ReadonlyMap<string, ServiceStatus>,
  services: ReadonlyMap<string, GraphService>,
): string[] {
  const keyed = names.map((name) => {
    const status = statuses.get(name);
    return { name, value: status ? valueOf(sort.key, status, services.get(name)) : undefined };
  });
  return keyed
    .sort((a, b) => {
      if (a.value === undefined || b.value === undefined) {
        if (a.value !== b.value) return a.value === undefined ? 1 : -1;
      } else {
        const order = compareValues(a.value, b.value);
        if (order !== 0) return sort.descending ? -order : order;
      }
      return a.name.localeCompare(b.name);
    })
    .map((row) => row.name);
}

/** A header click: the same column turns around, another one starts ascending. */
export const nextSort = (sort: Sort, key: SortKey): Sort => (sort.key === key ? { key, descending: !sort.descending } : { key, descending: false });

/**
 * The selection after a checkbox click: toggles `name`, or with shift the range from the last
 * clicked (`anchor`) to it, in the order shown, set to what `name` becomes.
 */
export function toggledSelection(
  selected: ReadonlySet<string>,
  shown: readonly string[],
  name: string,
  anchor: string | undefined,
  range: boolean,
): Set<string> {
  const next = new Set(selected);
  const on = !selected.has(name);
  const [from, to] = [shown.indexOf(anchor ?? ''), shown.indexOf(name)];
  const names = range && from >= 0 && to >= 0 ? shown.slice(Math.min(from, to), Math.max(from, to) + 1) : [name];
  for (const each of names) {
    if (on) next.add(each);
    else next.delete(each);
  }
  return next;
}

/** "48.2 MiB", "1.3 GiB" */
export function memoryText(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A link per TCP port of the service (`http://127.0.0.1:<port>/`): the table's ports column; UDP ports are not links. */
export function portLinks(ports: readonly string[]): { name: string; url: string }[] {
  return ports
    .filter((port) => /^\d+(\/tcp)?$/.test(port))
    .map((port) => ({ name: port.replace('/tcp', ''), url: `http://127.0.0.1:${port.replace('/tcp', '')}/` }));
}
