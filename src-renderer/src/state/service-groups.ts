/**
 * The groups the graph and the cards show: one per label, in the order labels first appear in the
 * registry, then the services without a label. A service with several labels is shown once, in the
 * group of its first label (a graph node cannot stand in two places); Start/Stop group still act on
 * every service carrying the label (the engine reads the labels).
 */
export interface GroupInput {
  readonly name: string;
  readonly labels?: readonly string[] | undefined;
}

export interface ServiceGroup {
  /** The label, or '' for the services without one. */
  readonly label: string;
  /** The services shown in it, in registry order. */
  readonly names: readonly string[];
}

export const UNGROUPED = '';

/** No groups at all (no service has a label): one ungrouped list, shown without a header. */
export function groupsOf(services: readonly GroupInput[]): ServiceGroup[] {
  const byLabel = new Map<string, string[]>();
  const rest: string[] = [];
  for (const service of services) {
    const label = service.labels?.[0];
    if (label === undefined) rest.push(service.name);
    else (byLabel.get(label) ?? byLabel.set(label, []).get(label)!).push(service.name);
  }
  const groups = [...byLabel].map(([label, names]) => ({ label, names }));
  return rest.length > 0 ? [...groups, { label: UNGROUPED, names: rest }] : groups;
}

/** What a group's buttons act on: every service carrying the label, not only those shown in it. */
export const carrying = (services: readonly GroupInput[], label: string): string[] => services.filter((s) => s.labels?.includes(label)).map((s) => s.name);
