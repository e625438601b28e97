/** Warnings about a service's `labels` and `links` as written: a label or a link name listed twice. */
import { warning, type RegistryIssue } from './registry-issue';
import { isTable, type Table } from './table';

export function labelsAndLinksChecks(service: Table, name: string): RegistryIssue[] {
  return [
    ...repeated(
      service['labels'],
      (entry) => entry,
      (i, label) => warning(['services', name, 'labels', i], `label '${label}' is listed twice`),
    ),
    ...repeated(
      service['links'],
      (entry) => (isTable(entry) ? entry['name'] : undefined),
      (i, link) => warning(['services', name, 'links', i, 'name'], `a link named '${link}' is listed twice: name each link differently`),
    ),
  ];
}

/** The entries whose key (a string) an earlier entry had. */
function repeated(list: unknown, keyOf: (entry: unknown) => unknown, issue: (i: number, key: string) => RegistryIssue): RegistryIssue[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  return list.flatMap((entry, i) => {
    const key = keyOf(entry);
    if (typeof key !== 'string') return [];
    if (seen.has(key)) return [issue(i, key)];
    seen.add(key);
    return [];
  });
}
