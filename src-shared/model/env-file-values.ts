/**
 * The variables each service gets from env files: the registry's top-level `env_files`, then its
 * own, each file's lines in order — the later setting wins. A required file that is missing is an
 * error at the entry that names it; a line that does not parse is an error inside the env file.
 */
import { parseEnvFile, type ParsedEnvFile } from './env-file';
import { envFileRef, envFilesSchema, type EnvFileEntry, type EnvFileRef } from './env-files-schema';
import type { LayeredDocument } from './registry-layers';
import { error, type KeyPath, type LocatedIssue, type RegistryIssue } from './registry-issue';
import type { EnvFileValues } from './service-schema';
import { isTable, type Table } from './table';

/** What reading one env file found; `file` is its path as shown in messages. */
export type EnvFileRead =
  | { readonly file: string; readonly text: string }
  | { readonly file: string; readonly missing: true }
  | { readonly file: string; readonly problem: string };

/** `path` as written in `env_files`; `declaredIn`: the registry or override file that names it (relative paths start there). */
export type EnvFileReader = (path: string, declaredIn: string) => EnvFileRead;

/** Files read for one registry, at most: a registry naming thousands (each up to 1 MiB) is refused, not read. */
const MAX_ENV_FILES = 64;

interface Found {
  readonly variables: Map<string, EnvFileValues>;
  /** Located by key path (the entry). */
  readonly issues: RegistryIssue[];
  /** Located inside an env file. */
  readonly located: LocatedIssue[];
}

interface Loaded {
  readonly values: Readonly<Record<string, string>>;
  readonly secret: boolean;
}

export function readEnvFiles(reader: EnvFileReader | undefined, layered: LayeredDocument, top: readonly EnvFileEntry[], services: Table): Found {
  const found: Found = { variables: new Map(), issues: [], located: [] };
  /** Each file read and parsed once, however many entries name it. */
  const read = new Map<string, { readonly read: EnvFileRead; readonly parsed?: ParsedEnvFile }>();
  const load = (entries: readonly EnvFileEntry[], at: KeyPath): Loaded[] =>
    entries.flatMap((entry, index) => {
      const ref = envFileRef(entry);
      const path = [...at, index];
      const declaredIn = layered.layers[layered.layerOf(path)]!.file;
      if (!reader) {
        found.issues.push(error(path, 'env files are read only where the registry runs: validate it with the CLI'));
        return [];
      }
      const key = `${declaredIn}\0${ref.path}`;
      const first = !read.has(key);
      if (first && read.size >= MAX_ENV_FILES) {
        found.issues.push(error(path, `at most ${MAX_ENV_FILES} env files are read for one registry`));
        return [];
      }
      if (first) {
        const text = reader(ref.path, declaredIn);
        read.set(key, { read: text, ...('text' in text ? { parsed: parseEnvFile(text.text) } : {}) });
      }
      const { read: file, parsed } = read.get(key)!;
      return loaded(file, parsed, ref, path, found, first);
    });
  const shared = load(top, ['env_files']);
  for (const [name, definition] of Object.entries(services)) {
    const own = isTable(definition) && definition['env_files'] !== undefined ? envFilesSchema.safeParse(definition['env_files']) : undefined;
    // A malformed list is the schema's to report, at its place.
    const files = [...shared, ...load(own?.success ? own.data : [], ['services', name, 'env_files'])];
    if (files.length > 0) found.variables.set(name, combined(files));
  }
  return found;
}

/** One file's values. A missing file is judged per entry (one may be optional, another not); what is wrong inside it is reported once (`first`). */
function loaded(read: EnvFileRead, parsed: ParsedEnvFile | undefined, ref: EnvFileRef, path: KeyPath, report: Found, first: boolean): Loaded[] {
  if ('missing' in read) {
    if (ref.required)
      report.issues.push(error(path, `no such file: ${read.file}; create it, or mark it optional: { path = ${JSON.stringify(ref.path)}, required = false }`));
    return [];
  }
  if ('problem' in read || !parsed) {
    if (first && 'problem' in read) report.issues.push(error(path, `${read.file}: ${read.problem}`));
    return [];
  }
  if (first)
    for (const problem of parsed.problems)
      report.located.push({ severity: 'error', path, message: problem.message, file: read.file, line: problem.line, column: problem.column });
  return [{ values: parsed.values, secret: ref.secret }];
}

function combined(files: readonly Loaded[]): EnvFileValues {
  // No prototype: a line `__proto__=x` is a name like any other.
  const values = Object.create(null) as Record<string, string>;
  const secret = new Set<string>();
  for (const file of files) {
    for (const [name, value] of Object.entries(file.values)) {
      values[name] = value;
      if (file.secret) secret.add(name);
      else secret.delete(name);
    }
  }
  return { values, secret: [...secret] };
}
