/**
 * One service's watch while it is on: its folder tree, the trailing debounce that makes a burst of
 * changes one trigger, and the coalescing that keeps triggers from piling up — changes that arrive
 * while the action runs make at most one more run, once it is done. Changes not run yet can be
 * taken by another action that covers them (a dependency's cascade restarts this service anyway).
 */
import { existsSync } from 'node:fs';
import type { WatchConfig } from '@shared/model';
import type { Clock } from '../supervisor/clock';
import { FolderTree } from './folder-tree';
import type { WatchBudget } from './watch-budget';
import { watchRules } from './watch-rules';

/** A burst of changes: the first file changed (as shown) and how many distinct files changed in all. */
export interface Burst {
  readonly first: string;
  readonly count: number;
}

/** Distinct files remembered per burst; beyond it only the count grows (a `git checkout` of 100k files). */
const MAX_REMEMBERED = 1_000;

export interface ServiceWatchOptions {
  readonly name: string;
  readonly config: WatchConfig;
  readonly registryDir: string;
  readonly budget: WatchBudget;
  readonly clock: Clock;
  /** Runs the action for one burst; the next burst waits for it. */
  readonly run: (burst: Burst) => Promise<void>;
  readonly warn: (message: string) => void;
}

/** Changes of files not run yet, as `absorb` hands them over. */
export class Changes {
  /** Shown name → path, in the order they changed. */
  readonly files = new Map<string, string>();
  beyond = 0;

  add(shown: string, path: string): void {
    if (this.files.has(shown)) return;
    if (this.files.size < MAX_REMEMBERED) this.files.set(shown, path);
    else this.beyond++;
  }

  merge(other: Changes): void {
    for (const [shown, path] of other.files) this.add(shown, path);
    this.beyond += other.beyond;
  }

  /** Shown by the first file that still exists: an editor's or `sed -i`'s temporary file, renamed over the real one, is not the change a person made. */
  burst(): Burst {
    const names = [...this.files];
    const first = names.find(([, path]) => existsSync(path)) ?? names[0]!;
    return { first: first[0], count: this.files.size + this.beyond };
  }
}

export class ServiceWatch {
  readonly #tree: FolderTree;
  readonly #rules;
  /** Changes of the burst under way (the debounce has not fired yet). */
  #collecting = new Changes();
  #timer: unknown;
  /** Changes whose debounce fired while the action ran: the one more run after it. */
  #queued: Changes | undefined;
  #running = false;
  #closed = false;
  /** Waiting for it to be idle. */
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ServiceWatchOptions) {
    this.#rules = watchRules(options.config, options.registryDir);
    this.#tree = new FolderTree({
      rules: this.#rules,
      budget: options.budget,
      onChange: (path) => this.#changed(this.#rules.shown(path), path),
      onLimit: (dir) =>
        options.warn(
          `watch of '${options.name}' (${this.#rules.patternReaching(dir) ?? options.config.paths.join(', ')}): ${options.budget.limit} folders are watched, ` +
            `the most one engine watches; ${dir} and what is below it are not — narrow its paths or add ignore rules`,
        ),
    });
  }

  /** Folders it watches now. */
  get folders(): number {
    return this.#tree.size;
  }

  get config(): WatchConfig {
    return this.options.config;
  }

  open(): Promise<void> {
    return this.#tree.open(this.#rules.roots);
  }

  close(): void {
    this.#closed = true;
    this.options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#tree.close();
    this.#wake();
  }

  /** Changes wait to run, or its action runs. */
  get busy(): boolean {
    return !this.#closed && (this.#timer !== undefined || this.#queued !== undefined || this.#running);
  }

  /** Resolves once it is not busy. */
  idle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.#idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Takes the changes that wait to run (queued, then collecting): another action covers them. None waited: undefined. */
  absorb(): Changes | undefined {
    this.options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const taken = this.#takeQueued() ?? new Changes();
    taken.merge(this.#collecting);
    this.#collecting = new Changes();
    this.#wake();
    return taken.files.size > 0 ? taken : undefined;
  }

  /** Gives back absorbed changes the other action did not cover after all: they run as a burst again. */
  restore(changes: Changes): void {
    if (this.#closed) return;
    changes.merge(this.#collecting);
    this.#collecting = changes;
    this.#debounce();
  }

  #changed(shown: string, path: string): void {
    if (this.#closed) return;
    this.#collecting.add(shown, path);
    this.#debounce();
  }

  /** Trailing: the action runs once the files have been quiet for `debounce`. */
  #debounce(): void {
    this.options.clock.clearTimeout(this.#timer);
    this.#timer = this.options.clock.setTimeout(() => this.#settled(), this.options.config.debounce);
  }

  #wake(): void {
    if (this.busy) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #settled(): void {
    this.#timer = undefined;
    const changes = this.#collecting;
    this.#collecting = new Changes();
    if (this.#running) {
      if (this.#queued) this.#queued.merge(changes);
      else this.#queued = changes;
      return;
    }
    void this.#runFrom(changes);
  }

  async #runFrom(changes: Changes): Promise<void> {
    this.#running = true;
    try {
      for (let next: Changes | undefined = changes; next && !this.#closed; next = this.#takeQueued()) {
        await this.options.run(next.burst()).catch((error: Error) => this.options.warn(`watch of '${this.options.name}': ${error.message}`));
      }
    } finally {
      this.#running = false;
      this.#wake();
    }
  }

  #takeQueued(): Changes | undefined {
    const queued = this.#queued;
    this.#queued = undefined;
    return queued;
  }
}
