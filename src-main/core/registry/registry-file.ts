/**
 * The registry file an owner serves: read, watched, and edited in place. An edit changes only the
 * one `dependencies` array, is checked as a whole file before it is written (a cycle changes
 * nothing), and replaces the file atomically (keeping its mode), so a crash never leaves half a registry.
 */
import { watch, type FSWatcher } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { DependencyEdit, RegistryDefinitions, RegistryGraph } from '@shared/contract/registry';
import { parseRegistry, type Registry, type RegistryParseResult } from '@shared/model';
import { setDependencies } from '@shared/model/registry-dependency-edit';
import { writeFileAtomic } from '../state/atomic-write';
import type { RegistryLocation } from './discover-registry';
import { displayPathOf, loadRegistry, RegistryError } from './load-registry';
import { readRegistryText } from './read-registry-text';
import { registryValidator } from './registry-validator';
import { resourceIssues } from './resource-issues';

/** Saves from one editor arrive as several events; they become one change. */
const SETTLE_MS = 80;

export class RegistryFile {
  readonly displayPath: string;
  readonly #listeners = new Set<() => void>();
  #watcher: FSWatcher | undefined;
  #settle: NodeJS.Timeout | undefined;
  #editing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly location: RegistryLocation,
    private readonly cwd: string,
  ) {
    this.displayPath = displayPathOf(location.path, cwd);
  }

  /** The registry, or a RegistryError listing every located problem. */
  async readValid(): Promise<Registry> {
    const loaded = await loadRegistry(this.location, this.cwd);
    if (!loaded.registry) throw new RegistryError(loaded);
    return loaded.registry;
  }

  async graph(): Promise<RegistryGraph> {
    return graphOf(this.displayPath, await loadRegistry(this.location, this.cwd));
  }

  /**
   * The file's services as `services list` shows them. Asked by every such command, so the parse
   * (TOML and the schemas: milliseconds) is kept for the text it was made from; the file itself is
   * read on every call — no watcher's delay, a saved edit is in the next answer.
   */
  async definitions(): Promise<RegistryDefinitions> {
    const read = await readRegistryText(this.location.path).catch(() => undefined);
    // Unreadable: loadRegistry says why, in the words it uses everywhere.
    if (!read || !('text' in read)) return definitionsOf(this.displayPath, await loadRegistry(this.location, this.cwd));
    if (this.#definitions?.text !== read.text)
      this.#definitions = { text: read.text, answer: definitionsOf(this.displayPath, parseRegistry(read.text, this.displayPath, resourceIssues)) };
    return this.#definitions.answer;
  }

  #definitions: { readonly text: string; readonly answer: RegistryDefinitions } | undefined;

  /** Validates a client's text as if it were this file, off the event loop (registry-validator.ts). */
  async validate(text: string): Promise<RegistryGraph['issues']> {
    return wireIssues(await registryValidator.validate(text, this.displayPath));
  }

  /** One edit at a time, each on the file as the previous one left it; the file as it is after. */
  editDependency(edit: DependencyEdit): Promise<ValidRegistry> {
    const result = this.#editing.then(() => this.#edit(edit));
    this.#editing = result.catch(() => undefined);
    return result;
  }

  /** Calls back (settled) whenever the file changes on disk, by us or anyone; returns how to stop. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    // The folder is watched, not the file: editors often save by replacing the file.
    this.#watcher ??= watch(dirname(this.location.path), (_event, name) => {
      if (name !== null && name !== basename(this.location.path)) return;
      clearTimeout(this.#settle);
      this.#settle = setTimeout(() => this.#listeners.forEach((notify) => notify()), SETTLE_MS);
    }).on('error', () => this.#unwatch());
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#unwatch();
    };
  }

  async #edit({ service, dependency, action }: DependencyEdit): Promise<ValidRegistry> {
    const text = await this.#text(this.location.path);
    const before = parseRegistry(text, this.displayPath);
    if (!before.registry)
      throw new RegistryError({ displayPath: this.displayPath, issues: before.issues }, `${this.displayPath} must be fixed before it is edited`);
    const definition = before.registry.services.find((s) => s.name === service);
    if (!definition) throw new RegistryError({ displayPath: this.displayPath, issues: [] }, `no service '${service}' in ${this.displayPath}`);
    const present = definition.dependencies.includes(dependency);
    if (present === (action === 'add')) return { ...before, registry: before.registry };
    const dependencies = action === 'add' ? [...definition.dependencies, dependency] : definition.dependencies.filter((d) => d !== dependency);
    const edited = setDependencies(text, service, dependencies);
    const after = parseRegistry(edited, this.displayPath);
    const what = action === 'add' ? `${service} depending on ${dependency}` : `${service} no longer depending on ${dependency}`;
    if (!after.registry) throw new RegistryError({ displayPath: this.displayPath, issues: after.issues }, `${what} would make the registry invalid`);
    // The file itself is replaced (a symlinked registry stays a symlink), and only if nobody saved it meanwhile.
    const target = await realpath(this.location.path);
    if ((await this.#text(target)) !== text)
      throw new RegistryError({ displayPath: this.displayPath, issues: [] }, `${this.displayPath} changed on disk while ${what} was being written; try again`);
    await writeFileAtomic(target, edited, (await stat(target)).mode & 0o777);
    return { ...after, registry: after.registry };
  }

  /** The file's text; a FIFO, a huge file or bytes that are not UTF-8 are refused with the located reason. */
  async #text(path: string): Promise<string> {
    const read = await readRegistryText(path);
    if ('text' in read) return read.text;
    const issue = { severity: 'error' as const, path: [], message: read.problem, file: this.displayPath, line: read.line, column: read.column };
    throw new RegistryError({ displayPath: this.displayPath, issues: [issue] });
  }

  #unwatch(): void {
    clearTimeout(this.#settle);
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

/** A registry file's text checked and found valid (warnings allowed). */
export type ValidRegistry = Pick<RegistryParseResult, 'issues'> & { readonly registry: Registry };

function definitionsOf(file: string, parsed: Pick<RegistryParseResult, 'registry' | 'issues'>): RegistryDefinitions {
  return { file, services: parsed.registry ? [...parsed.registry.services] : null, issues: wireIssues(parsed.issues) };
}

/** Issues as the contract carries them (mutable key paths). */
const wireIssues = (issues: RegistryParseResult['issues']): RegistryGraph['issues'] => issues.map((issue) => ({ ...issue, path: [...issue.path] }));

export function graphOf(file: string, parsed: Pick<RegistryParseResult, 'registry' | 'issues'>): RegistryGraph {
  const issues = wireIssues(parsed.issues);
  const services =
    parsed.registry?.services.map((s) => ({
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
    })) ?? null;
  return { file, services, issues };
}
