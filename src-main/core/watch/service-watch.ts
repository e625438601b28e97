/**
 * One service's watch while it is on: its folder tree, the trailing debounce that makes a burst of
 * changes one trigger, and the coalescing that keeps triggers from piling up — changes that arrive
 * while the action runs make at most one more run, once it is done.
 */
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

class Changes {
  readonly files = new Set<string>();
  first: string | undefined;
  beyond = 0;

  add(file: string): void {
    this.first ??= file;
    if (this.files.has(file)) return;
    if (this.files.size < MAX_REMEMBERED) this.files.add(file);
    else this.beyond++;
  }

  merge(other: Changes): void {
    for (const file of other.files) this.add(file);
    this.beyond += other.beyond;
  }

  burst(): Burst {
    return { first: this.first!, count: this.files.size + this.beyond };
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

  constructor(private readonly options: ServiceWatchOptions) {
    this.#rules = watchRules(options.config, options.registryDir);
    this.#tree = new FolderTree({
      rules: this.#rules,
      budget: options.budget,
      onChange: (path) => this.#changed(this.#rules.shown(path)),
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
    this.#tree.close();
  }

  #changed(file: string): void {
    if (this.#closed) return;
    this.#collecting.add(file);
    // Trailing: the action runs once the files have been quiet for `debounce`.
    this.options.clock.clearTimeout(this.#timer);
    this.#timer = this.options.clock.setTimeout(() => this.#settled(), this.options.config.debounce);
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
    }
  }

  #takeQueued(): Changes | undefined {
    const queued = this.#queued;
    this.#queued = undefined;
    return queued;
  }
}
