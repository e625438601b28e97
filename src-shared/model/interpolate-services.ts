/**
 * `${NAME}` in every string of each service (interpolate.ts), read from its env files' variables.
 * Not in its description (prose), its env file paths, or a helm chart's `values` (the chart's own
 * data, passed as written). A name without a default that no env file sets is an error at the string.
 */
import { hasReference, interpolate } from './interpolate';
import { error, type RegistryIssue } from './registry-issue';
import type { EnvFileValues } from './service-schema';
import { isPlainTable as isTable, putOwn, type Table } from './table';

const NOT_INTERPOLATED = new Set(['description', 'env_files']);

export function interpolateServices(services: Table, variables: ReadonlyMap<string, EnvFileValues>): { services: Table; issues: RegistryIssue[] } {
  const issues: RegistryIssue[] = [];
  const out: Table = {};
  for (const [name, definition] of Object.entries(services)) {
    const values = variables.get(name)?.values ?? {};
    // Copy on write: a table without a `${` anywhere is kept as it is (most are; parsing stays linear and cheap).
    const visit = (value: unknown, path: (string | number)[]): unknown => {
      if (typeof value === 'string') {
        if (!hasReference(value)) return value;
        const result = interpolate(value, values);
        for (const unset of result.unset) issues.push(error(['services', name, ...path], unsetMessage(unset, variables.has(name))));
        return result.text;
      }
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        value.forEach((item, i) => {
          const next = visit(item, [...path, i]);
          if (next !== item) (copy ??= [...value])[i] = next;
        });
        return copy ?? value;
      }
      if (!isTable(value) || isHelmValues(path)) return value;
      let copy: Table | undefined;
      for (const [key, item] of Object.entries(value)) {
        if (path.length === 0 && NOT_INTERPOLATED.has(key)) continue;
        const next = visit(item, [...path, key]);
        if (next === item) continue;
        copy ??= { ...value };
        putOwn(copy, key, next);
      }
      return copy ?? value;
    };
    putOwn(out, name, visit(definition, []));
  }
  return { services: out, issues };
}

const isHelmValues = (path: readonly (string | number)[]): boolean =>
  path.length === 4 && path[0] === 'deployment' && path[1] === 'kubernetes' && path[2] === 'helm' && path[3] === 'values';

function unsetMessage(name: string, hasEnvFiles: boolean): string {
  const where = hasEnvFiles ? 'none of its env files sets it' : 'it has no env files (env_files) to set it';
  return (
    `\${${name}} is not set: ${where}. Set it in an env file, give a default (\${${name}:-value}), or — to take it from ` +
    `the environment of the command that starts the service — use an env reference { env = "${name}" } in its env table`
  );
}
