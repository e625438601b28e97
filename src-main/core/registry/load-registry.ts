/**
 * Reads and validates a registry file with its override files and env files. Never starts or
 * changes anything. The overrides are the `--override` files when any are given, else
 * `services.local.toml` beside the registry when it exists (as Compose reads
 * compose.override.yaml only when no `-f` says otherwise).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeRegistry, formatIssue, type IssueCounts, type LocatedIssue, type OverriddenValue, type Registry } from '@shared/model';
import type { RegistryLocation } from './discovery-order';
import { envFileReader, readEnvFile } from './env-file-reader';
import { displayPathOf, SOURCE_LABELS } from './registry-naming';
import { readRegistryText, type RegistryText } from './read-registry-text';
import { resourceIssues } from './resource-issues';

export interface LoadedRegistry {
  readonly location: RegistryLocation;
  /** The path as shown to people: relative to the working directory when inside it. */
  readonly displayPath: string;
  /** What the engine runs (env file values in it); never shown or sent as it is. */
  readonly registry: Registry | undefined;
  /** The registry as people see it (no env file value; secrets as `${NAME}`). */
  readonly shown: Registry | undefined;
  /** The first problems in file order (MAX_REPORTED_ISSUES, then an "and N more" line). */
  readonly issues: readonly LocatedIssue[];
  /** Every problem found, listed or not. */
  readonly found: IssueCounts;
  /** The override files applied, as shown, in order. */
  readonly overrides: readonly string[];
  readonly overridden: readonly OverriddenValue[];
  /** Per service, the file (as shown) whose `dependencies` list is in force: where a graph edit writes by default. */
  readonly dependenciesFile: Readonly<Record<string, string>>;
  /** The env files read (paths on disk), found or not: what a watcher watches. */
  readonly envFiles: readonly string[];
}

/** Beside the registry, merged over it when no `--override` is given. */
export const LOCAL_OVERRIDE_NAME = 'services.local.toml';

/** The override files that apply to a registry at `location`, in order. */
export function overridePaths(location: RegistryLocation): readonly string[] {
  if (location.overrides && location.overrides.length > 0) return location.overrides;
  // The embedded demo is the app's, not a folder of the user's.
  if (location.source === 'embedded') return [];
  const local = join(dirname(location.path), LOCAL_OVERRIDE_NAME);
  return existsSync(local) ? [local] : [];
}

/** `replaced`: texts to read as if they were these files (by path on disk): an editor's unsaved text, an edit being checked. */
export async function loadRegistry(location: RegistryLocation, cwd: string, replaced?: ReadonlyMap<string, string>): Promise<LoadedRegistry> {
  const displayPath = displayPathOf(location.path, cwd);
  const paths = [location.path, ...overridePaths(location)];
  const files = new Map(paths.map((path) => [displayPathOf(path, cwd), path]));
  const overrides = [...files.keys()].slice(1);
  const envFiles: string[] = [];
  const base = { location, displayPath, overrides, envFiles };
  const layers: { file: string; text: string }[] = [];
  for (const [index, [file, path]] of [...files].entries()) {
    const given = replaced?.get(path);
    const read = given !== undefined ? { text: given } : await readText(path);
    if ('text' in read) {
      layers.push({ file, text: read.text });
      continue;
    }
    // Say who chose the file, so a stale choice can be found and changed.
    const chosen = index > 0 ? 'an override file' : location.source === 'embedded' || location.source === 'user' ? '' : SOURCE_LABELS[location.source];
    const message = chosen ? `${read.problem} (${index > 0 ? 'read as ' : 'chosen '}${chosen})` : read.problem;
    const { line, column } = read;
    return {
      ...base,
      registry: undefined,
      shown: undefined,
      issues: [{ severity: 'error', path: [], message, file, line, column }],
      found: { errors: 1, warnings: 0 },
      overridden: [],
      dependenciesFile: {},
    };
  }
  return { ...base, ...composeRegistry({ layers, readEnvFile: envFileReader(files, cwd, (path) => envFiles.push(path)), machineChecks: resourceIssues }) };
}

/**
 * What a load of `loaded`'s registry would read now, as one string: equal strings mean an equal
 * load, so a caller can keep a parse for as long as it holds (the texts are read, never parsed).
 */
export async function sourcesKey(loaded: Pick<LoadedRegistry, 'location' | 'envFiles'>): Promise<string> {
  const layers = await Promise.all([loaded.location.path, ...overridePaths(loaded.location)].map(readText));
  const envFiles = loaded.envFiles.map((path) => readEnvFile(path, path));
  return JSON.stringify([layers, envFiles]);
}

async function readText(path: string): Promise<RegistryText> {
  try {
    return await readRegistryText(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // ENXIO: a socket, which cannot be opened as a file.
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'ENXIO'
          ? 'is a socket, not a regular file: a registry must be a regular file'
          : `cannot read: ${String(cause)}`;
    return { problem, line: 1, column: 1 };
  }
}

export class RegistryError extends Error {
  /** `what` says what is not valid: by default the file itself. */
  constructor(loaded: Pick<LoadedRegistry, 'displayPath' | 'issues'>, what = `${loaded.displayPath} is not valid`) {
    super(
      `${what}; nothing changed:\n${loaded.issues
        .filter((i) => i.severity === 'error')
        .map((i) => `  ${formatIssue(i)}`)
        .join('\n')}`,
    );
    this.name = 'RegistryError';
  }
}

export { displayPathOf };
