/**
 * A service's definition as its detail view shows it, from the registry as shown (the owner's
 * `definitions`: no env file value, secrets as `${NAME}`): what runs it (the mode's table without
 * its env), its environment as names only — an env reference reads "from $X", a value written in
 * the file only "set in the file" — and the health check's settings. Pure.
 */
import { formatDuration } from '@shared/model/duration';
import type { ServiceDefinition } from '@shared/model/service-schema';

export interface Fact {
  readonly key: string;
  readonly text: string;
}

export interface EnvName {
  readonly name: string;
  /** "from $X" (an env reference) or "set in the file". */
  readonly source: string;
}

/** Keys whose values are durations ("5s", "250ms") in the file. */
const DURATION_KEY = /(^|_)(interval|timeout|period|age)$/;

const isEnvRef = (value: unknown): value is { env: string } =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { env?: unknown }).env === 'string';

/** A value in words: an env reference as "from $X", a list as TOML writes it, a table as its dotted keys (flattened by the caller). */
function valueText(value: unknown): string {
  if (isEnvRef(value)) return `from $${value.env}`;
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === 'string' ? JSON.stringify(item) : valueText(item))).join(', ')}]`;
  if (typeof value === 'string') return value;
  return String(value);
}

/** Every leaf of a table as `a.b = text`, tables of env values (headers, env) as names with their source only. */
export function factsOf(table: object, prefix = ''): Fact[] {
  return Object.entries(table).flatMap(([key, value]): Fact[] => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === undefined) return [];
    if (key === 'env' || key === 'headers')
      return [
        {
          key: path,
          text:
            envNamesOf(value as object)
              .map((e) => `${e.name} (${e.source})`)
              .join(', ') || '–',
        },
      ];
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isEnvRef(value)) return factsOf(value, path);
    // Durations are parsed to milliseconds: shown as the file writes them.
    if (typeof value === 'number' && DURATION_KEY.test(key)) return [{ key: path, text: formatDuration(value) }];
    return [{ key: path, text: valueText(value) }];
  });
}

/** The names of an env table, never its written values. */
export function envNamesOf(env: object | undefined): EnvName[] {
  return Object.entries(env ?? {}).map(([name, value]) => ({ name, source: isEnvRef(value) ? `from $${value.env}` : 'set in the file' }));
}

export interface DefinitionView {
  readonly mode: string;
  /** The mode's table (command, args, cwd, image, …) without its env. */
  readonly runs: readonly Fact[];
  readonly env: readonly EnvName[];
  /** The env files it reads (their variables' values are never sent). */
  readonly envFiles: readonly string[];
  readonly health: readonly Fact[] | undefined;
}

export function definitionView(definition: ServiceDefinition): DefinitionView {
  const mode = definition.deployment.mode;
  const table = ((definition.deployment as Record<string, unknown>)[mode] ?? {}) as Record<string, unknown>;
  const { env, ...runs } = table;
  const cwd = mode === 'binary' && runs['cwd'] === undefined ? [{ key: 'cwd', text: 'the registry file’s folder' }] : [];
  return {
    mode,
    runs: [...factsOf(runs), ...cwd],
    env: envNamesOf(env as object | undefined),
    envFiles: (definition.env_files ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.path)),
    health: definition.health_check ? factsOf(definition.health_check) : undefined,
  };
}
