/**
 * The registry file an owner serves, with its override and env files: read, watched, and edited in
 * place. An edit changes only the one `dependencies` array, in the file whose list is in force
 * (or the one the client names), is checked as a whole registry before it is written (a cycle
 * changes nothing), and replaces that file atomically (keeping its mode), so a crash never leaves half a registry.
 */
import { watch, type FSWatcher } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DependencyEdit, RegistryDefinitions, RegistryGraph } from '@shared/contract/registry';
import type { RegistryLines } from '@shared/contract/registry-lines';
import type { ServiceSource } from '@shared/contract/service-source';
import { serviceLinks, type Registry, type RegistryParseResult } from '@shared/model';
import { secretMask } from '@shared/model/secret-mask';
import { setDependencies } from '@shared/model/registry-dependency-edit';
import { writeFileAtomic } from '../state/atomic-write';
import type { RegistryLocation } from './discover-registry';
import { displayPathOf, loadRegistry, LOCAL_OVERRIDE_NAME, overridePaths, RegistryError, sourcesKey, type LoadedRegistry } from './load-registry';
import { readRegistryText } from './read-registry-text';
import { linesOf } from './registry-lines';
import { registryValidator } from './registry-validator';
import { serviceBlocks } from './service-block';

/** Saves from one editor arrive as several events; they become one change. */
const SETTLE_MS = 80;

export class RegistryFile {
  readonly displayPath: string;
  readonly #listeners = new Set<() => void>();
  #watchers: FSWatcher[] = [];
  #settle: NodeJS.Timeout | undefined;
  /** Counts watcher sets being made: only the newest is kept. */
  #generation = 0;
  #editing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly location: RegistryLocation,
    private readonly cwd: string,
  ) {
    this.displayPath = displayPathOf(location.path, cwd);
  }

  /** The registry as the engine runs it, or a RegistryError listing every located problem. */
  async readValid(): Promise<Registry> {
    const loaded = await this.#load();
    if (!loaded.registry) throw new RegistryError(loaded);
    return loaded.registry;
  }

  /** The registry as the engine would run it (absent while the file is not valid) and the file's located issues: read now. */
  async checked(): Promise<{ readonly registry?: Registry; readonly issues: RegistryGraph['issues'] }> {
    const loaded = await this.#load();
    return { ...(loaded.registry ? { registry: loaded.registry } : {}), issues: wireIssues(loaded.issues) };
  }

  async graph(): Promise<RegistryGraph> {
    return graphOf(this.displayPath, await this.#load());
  }

  /**
   * The file's services as `services list` shows them (secrets as `${NAME}`). Read on every call —
   * no watcher's delay, a saved edit is in the next answer.
   */
  async definitions(): Promise<RegistryDefinitions> {
    const loaded = await this.#load();
    return {
      file: this.displayPath,
      services: loaded.shown ? [...loaded.shown.services] : null,
      issues: wireIssues(loaded.issues),
      overrides: [...loaded.overrides],
      overridden: [...loaded.overridden],
    };
  }

  /**
   * The service's blocks of the registry file and of each override file that defines it, as each file
   * has them (service-block.ts: a sub-table placed apart is a block of its own); env file secrets read
   * as `${NAME}`, as everywhere they are shown. A file that cannot be read now has no block.
   */
  async serviceSource(name: string): Promise<ServiceSourceBlock[]> {
    const loaded = await this.#load();
    const mask = secretMask(loaded.registry?.services.flatMap((s) => (s.fromEnvFiles ? [s.fromEnvFiles] : [])));
    const files = [this.location.path, ...overridePaths(this.location)];
    const blocks: ServiceSourceBlock[] = [];
    for (const [index, path] of files.entries()) {
      const read = await readRegistryText(path).catch(() => undefined);
      const file = index === 0 ? this.displayPath : displayPathOf(path, this.cwd);
      for (const block of read && 'text' in read ? serviceBlocks(read.text, name) : []) blocks.push({ ...block, file, text: mask(block.text) });
    }
    return blocks;
  }

  /**
   * The file of this registry `file` names (as shown, or its path on disk): the registry itself, an
   * override file, or an env file one of them reads; undefined for any other path. Faces open only these.
   */
  async fileOf(file: string): Promise<RegistryFileRef | undefined> {
    const loaded = await this.#load();
    const layers = [this.location.path, ...overridePaths(this.location)];
    const known: RegistryFileRef[] = [
      ...layers.map(
        (path, index) =>
          ({ path, shown: index === 0 ? this.displayPath : displayPathOf(path, this.cwd), kind: index === 0 ? 'registry' : 'override' }) as const,
      ),
      ...loaded.envFiles.map((path) => ({ path, shown: displayPathOf(path, this.cwd), kind: 'env' }) as const),
    ];
    return known.find((ref) => ref.shown === file || ref.path === file);
  }

  /** A located issue's lines in context (registry-lines.ts): of the registry or an override file only; an env file's are withheld. */
  async linesAround(file: string, line: number, context: number): Promise<RegistryLines> {
    const ref = await this.fileOf(file);
    if (!ref) throw new RegistryError({ displayPath: file, issues: [] }, `${file} is not a file of this registry; only its own files are shown`);
    if (ref.kind === 'env') return { file: ref.shown, kind: ref.kind, firstLine: line, lines: [], lineCount: 0, withheld: ENV_LINES_WITHHELD };
    const read = await readRegistryText(ref.path).catch((error: NodeJS.ErrnoException) => ({ problem: `cannot be read: ${error.code ?? error.message}` }));
    if (!('text' in read)) throw new RegistryError({ displayPath: ref.shown, issues: [] }, `${ref.shown} ${read.problem}`);
    const loaded = await this.#load();
    const mask = secretMask(loaded.registry?.services.flatMap((s) => (s.fromEnvFiles ? [s.fromEnvFiles] : [])));
    return { file: ref.shown, kind: ref.kind, ...linesOf(mask(read.text), line, context) };
  }

  /** Validates a client's text as if it were this file (with its overrides and env files), off the event loop (registry-validator.ts). */
  async validate(text: string): Promise<RegistryGraph['issues']> {
    return wireIssues(await registryValidator.validate(text, this.location, this.cwd));
  }

  /** One edit at a time, each on the files as the previous one left them; the registry as it is after. */
  editDependency(edit: DependencyEdit): Promise<EditedRegistry> {
    const result = this.#editing.then(() => this.#edit(edit));
    this.#editing = result.catch(() => undefined);
    return result;
  }

  /** Calls back (settled) whenever the registry, an override or an env file changes on disk, by us or anyone; returns how to stop. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) void this.#watchFiles();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#unwatch();
    };
  }

  /**
   * The registry as the files are now. `services list`, every face's graph and the watcher ask for
   * it: the files are read on each call (no watcher's delay), but they are parsed again only when
   * one of them changed.
   */
  async #load(replaced?: ReadonlyMap<string, string>): Promise<LoadedRegistry> {
    if (replaced) return loadRegistry(this.location, this.cwd, replaced);
    // Read before the load, with the env files the last load named: a file saved meanwhile, or an
    // env file named anew, gives the next call another key, and so a load of its own.
    const key = await sourcesKey({ location: this.location, envFiles: this.#last?.loaded.envFiles ?? [] });
    if (key === this.#last?.key) return this.#last.loaded;
    const loaded = await loadRegistry(this.location, this.cwd);
    this.#last = { key, loaded };
    return loaded;
  }

  #last: { readonly key: string; readonly loaded: LoadedRegistry } | undefined;

  /**
   * The folders are watched, not the files: editors often save by replacing a file, and a missing
   * override may appear. After each change the set is made again (an edit may name another env
   * file); the old watchers close only once the new ones listen, so no save falls between them.
   */
  async #watchFiles(): Promise<void> {
    const generation = ++this.#generation;
    const names = new Map<string, Set<string>>();
    const add = (path: string) => names.set(dirname(path), (names.get(dirname(path)) ?? new Set()).add(basename(path)));
    add(this.location.path);
    // services.local.toml counts only while no --override replaces it; it may appear at any time.
    if (!this.location.overrides?.length) add(join(dirname(this.location.path), LOCAL_OVERRIDE_NAME));
    overridePaths(this.location).forEach(add);
    (await this.#load().catch(() => undefined))?.envFiles.forEach(add);
    // Unwatched meanwhile, or a later change made a newer set.
    if (this.#listeners.size === 0 || generation !== this.#generation) return;
    const watchers: FSWatcher[] = [];
    for (const [folder, files] of names) {
      try {
        const watcher = watch(folder, (_event, name) => {
          if (name !== null && !files.has(basename(name))) return;
          clearTimeout(this.#settle);
          this.#settle = setTimeout(() => this.#changed(), SETTLE_MS);
        }).on('error', () => watcher.close());
        watchers.push(watcher);
      } catch {
        // A folder that does not exist (an env file's, not made yet) has nothing to say.
      }
    }
    this.#closeWatchers();
    this.#watchers = watchers;
  }

  #changed(): void {
    void this.#watchFiles();
    this.#listeners.forEach((notify) => notify());
  }

  async #edit({ service, dependency, action, file }: DependencyEdit): Promise<EditedRegistry> {
    const before = await this.#load();
    if (!before.registry || !before.shown)
      throw new RegistryError({ displayPath: this.displayPath, issues: before.issues }, `${this.displayPath} must be fixed before it is edited`);
    const definition = before.shown.services.find((s) => s.name === service);
    if (!definition) throw new RegistryError({ displayPath: this.displayPath, issues: [] }, `no service '${service}' in ${this.displayPath}`);
    const present = definition.dependencies.includes(dependency);
    if (present === (action === 'add')) return { ...before, registry: before.registry, written: undefined };
    // By default the file whose list is in force; a file of this registry when the client chose one.
    const target = file ?? before.dependenciesFile[service] ?? this.displayPath;
    const path = layerPath(before, target);
    if (!path)
      throw new RegistryError(
        { displayPath: this.displayPath, issues: [] },
        `${target} is not a file of this registry (${[this.displayPath, ...before.overrides].join(', ')})`,
      );
    const dependencies = action === 'add' ? [...definition.dependencies, dependency] : definition.dependencies.filter((d) => d !== dependency);
    const text = await this.#text(path, target);
    const edited = setDependencies(text, service, dependencies);
    const after = await this.#load(new Map([[path, edited]]));
    const what = action === 'add' ? `${service} depending on ${dependency}` : `${service} no longer depending on ${dependency}`;
    if (!after.registry) throw new RegistryError({ displayPath: target, issues: after.issues }, `${what} would make the registry invalid`);
    // The file itself is replaced (a symlinked registry stays a symlink), and only if nobody saved it meanwhile.
    const real = await realpath(path);
    if ((await this.#text(real, target)) !== text)
      throw new RegistryError({ displayPath: target, issues: [] }, `${target} changed on disk while ${what} was being written; try again`);
    await writeFileAtomic(real, edited, (await stat(real)).mode & 0o777);
    return { ...after, registry: after.registry, written: target };
  }

  /** A file's text; a FIFO, a huge file or bytes that are not UTF-8 are refused with the located reason. */
  async #text(path: string, shownAs: string): Promise<string> {
    const read = await readRegistryText(path);
    if ('text' in read) return read.text;
    const issue = { severity: 'error' as const, path: [], message: read.problem, file: shownAs, line: read.line, column: read.column };
    throw new RegistryError({ displayPath: shownAs, issues: [issue] });
  }

  #unwatch(): void {
    clearTimeout(this.#settle);
    this.#generation += 1;
    this.#closeWatchers();
  }

  #closeWatchers(): void {
    this.#watchers.forEach((watcher) => watcher.close());
    this.#watchers = [];
  }
}

type ServiceSourceBlock = ServiceSource['blocks'][number];

/** A file of this registry: where it is, how it is shown, and what it is. */
export interface RegistryFileRef {
  readonly path: string;
  readonly shown: string;
  readonly kind: RegistryLines['kind'];
}

const ENV_LINES_WITHHELD = "an env file's lines hold secret values: they are not shown here; open the file in your editor";

/** The registry or override file named `file` (as shown, or its absolute path), on disk. */
function layerPath(loaded: LoadedRegistry, file: string): string | undefined {
  const paths = [loaded.location.path, ...overridePaths(loaded.location)];
  const shown = [loaded.displayPath, ...loaded.overrides];
  return paths.find((path, index) => path === file || shown[index] === file);
}

/** The registry after an edit, checked and found valid (warnings allowed); `written`: the file changed, if any. */
export type EditedRegistry = LoadedRegistry & { readonly registry: Registry; readonly written: string | undefined };

/** Issues as the contract carries them (mutable key paths). */
const wireIssues = (issues: RegistryParseResult['issues']): RegistryGraph['issues'] => issues.map((issue) => ({ ...issue, path: [...issue.path] }));

/** The graph people see: `loaded.shown` (never the engine's registry, which holds env file values). */
export function graphOf(file: string, loaded: Pick<LoadedRegistry, 'shown' | 'issues' | 'overrides' | 'overridden' | 'dependenciesFile'>): RegistryGraph {
  const issues = wireIssues(loaded.issues);
  const services =
    loaded.shown?.services.map((s) => ({
      name: s.name,
      description: s.description,
      mode: s.deployment.mode,
      order: s.order,
      autoStart: s.auto_start,
      dependencies: [...s.dependencies],
      kind: s.kind,
      ...(s.conditions ? { conditions: { ...s.conditions } } : {}),
      conflicts: [...s.conflicts],
      ports: s.ports.map(String),
      labels: [...s.labels],
      links: serviceLinks(s),
      ...(loaded.dependenciesFile[s.name] && loaded.dependenciesFile[s.name] !== file ? { dependenciesFile: loaded.dependenciesFile[s.name] } : {}),
    })) ?? null;
  return { file, services, issues, overrides: [...loaded.overrides], overridden: [...loaded.overridden] };
}
