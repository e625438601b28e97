/**
 * A dependency entry and its condition, in the process-compose / Compose vocabulary: `"db"` waits
 * for db to be healthy (serving); `{ name = "migrate", condition = "completed" }` for a task to have
 * run to success; `{ name = "cache", condition = "started" }` only for it to run. The graph works on
 * names; which of the dependency's states satisfy a condition is state-meaning.ts's (`satisfies`).
 */
import { z } from 'zod';
import { serviceName } from './schema-primitives';

export const DEPENDENCY_CONDITIONS = ['started', 'healthy', 'completed'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];
export const DEFAULT_CONDITION: DependencyCondition = 'healthy';

export const dependencyEntry = z.union(
  [
    serviceName,
    z.strictObject({
      name: serviceName,
      condition: z.enum(DEPENDENCY_CONDITIONS).default(DEFAULT_CONDITION).meta({
        description: 'started: it runs; healthy: it serves (its check passes, or a task completed); completed: a task that ran to success.',
      }),
    }),
  ],
  { error: 'expected a service name or { name = "…", condition = "started" | "healthy" | "completed" }' },
);
export type DependencyEntry = z.output<typeof dependencyEntry>;

/** The name of an entry as it is in the raw registry (a string or a table with `name`), if it has one. */
export function entryName(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const name = (entry as Record<string, unknown>)['name'];
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/** Names, and the conditions that are not the default, of a parsed list. */
export function splitEntries(entries: readonly DependencyEntry[]): { names: string[]; conditions: Record<string, DependencyCondition> } {
  const names: string[] = [];
  const conditions: Record<string, DependencyCondition> = {};
  for (const entry of entries) {
    const name = typeof entry === 'string' ? entry : entry.name;
    names.push(name);
    if (typeof entry !== 'string' && entry.condition !== DEFAULT_CONDITION) conditions[name] = entry.condition;
  }
  return { names, conditions };
}
