/**
 * Native watching of the folders a service's patterns can reach: one non-recursive fs.watch
 * (inotify) per folder, no polling, so an idle tree costs nothing. A folder is watched only when a
 * pattern can match below it and no ignore rule matches it (an ignored folder is never opened);
 * folders that appear are picked up (the files already in them count as changed), folders that go
 * are dropped, and one replaced (renamed over, removed and made again, a git checkout) is watched
 * anew — inotify follows an inode, not a path. Symbolic links are not followed (a link to `..`
 * would loop). Each change of a file the patterns match and the ignore rules do not is told by its
 * absolute path; nothing else is.
 */
import { lstatSync, watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { WatchBudget } from './watch-budget';

export interface TreeRules {
  /** A file whose change counts. */
  matches(path: string): boolean;
  /** A file or folder that is ignored (a folder: never watched). */
  ignored(path: string): boolean;
  /** A pattern can match something below this folder. */
  reachesBelow(dir: string): boolean;
}

export interface TreeOptions {
  readonly rules: TreeRules;
  readonly budget: WatchBudget;
  readonly onChange: (path: string) => void;
  /** The budget ran out at `dir`: it and what is below it are not watched. Told once per tree. */
  readonly onLimit: (dir: string) => void;
}

interface Watched {
  readonly watcher: FSWatcher;
  /** The folder's inode when it was watched: another one at its path is a replacement, whose changes this watcher never sees. */
  readonly ino: number;
}

export class FolderTree {
  readonly #watchers = new Map<string, Watched>();
  #roots: readonly string[] = [];
  #closed = false;
  #limited = false;

  constructor(private readonly options: TreeOptions) {}

  /** Folders watched now. */
  get size(): number {
    return this.#watchers.size;
  }

  /**
   * Watches from each of `roots` (the static bases of the patterns); a root that does not exist yet
   * is waited for from its nearest folder that does.
   */
  async open(roots: readonly string[]): Promise<void> {
    this.#roots = roots;
    for (const root of roots) {
      const start = await nearestFolder(root);
      if (start !== undefined) await this.#add(start, false);
    }
  }

  close(): void {
    this.#closed = true;
    for (const { watcher } of this.#watchers.values()) {
      watcher.close();
      this.options.budget.give();
    }
    this.#watchers.clear();
  }

  /** Watches `dir` and what below it can match; with `report`, the matching files found count as changed (a folder that just appeared). */
  async #add(dir: string, report: boolean): Promise<void> {
    const pending = [dir];
    while (pending.length > 0 && !this.#closed) {
      const current = pending.pop()!;
      if (this.#watchers.has(current) || !this.#watchOne(current)) continue;
      let entries;
      try {
        entries = await readdir(current, { withFileTypes: true });
      } catch {
        this.#drop(current);
        continue;
      }
      for (const entry of entries) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) {
          if (this.#descends(path)) pending.push(path);
        } else if (report && this.#counts(path)) this.options.onChange(path);
      }
    }
  }

  #watchOne(dir: string): boolean {
    if (this.#closed) return false;
    if (!this.options.budget.take()) {
      if (!this.#limited) this.options.onLimit(dir);
      this.#limited = true;
      return false;
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (event, name) => {
        if (name !== null) this.#event(dir, event, name.toString());
      });
    } catch {
      // Gone (or unreadable) between its listing and now.
      this.options.budget.give();
      return false;
    }
    const ino = lstatSync(dir, { throwIfNoEntry: false })?.ino;
    if (ino === undefined) {
      watcher.close();
      this.options.budget.give();
      return false;
    }
    watcher.on('error', () => this.#drop(dir));
    this.#watchers.set(dir, { watcher, ino });
    return true;
  }

  #descends(dir: string): boolean {
    return !this.options.rules.ignored(dir) && this.options.rules.reachesBelow(dir);
  }

  #counts(path: string): boolean {
    return this.options.rules.matches(path) && !this.options.rules.ignored(path);
  }

  #event(dir: string, event: string, name: string): void {
    if (this.#closed || !this.#watchers.has(dir)) return;
    const path = join(dir, name);
    // Its own move or removal is told as a rename of its name (so is a change of a child of that name: the inode tells them apart).
    if (event === 'rename' && name === basename(dir)) void this.#recheckFolder(dir);
    if (this.#watchers.has(path)) {
      // A watched folder renamed, removed or replaced (its own contents' changes come from its own watch).
      if (event === 'rename') void this.#recheckFolder(path);
      return;
    }
    if (event === 'change') {
      if (this.#counts(path)) this.options.onChange(path);
      return;
    }
    // Created, removed or moved: a new folder is watched, a file counts as changed.
    void lstat(path).then(
      (stat) => {
        if (this.#closed) return;
        if (stat.isDirectory()) {
          if (this.#descends(path)) void this.#add(path, true);
        } else if (this.#counts(path)) this.options.onChange(path);
      },
      () => {
        if (!this.#closed && this.#counts(path)) this.options.onChange(path);
      },
    );
  }

  /**
   * After a rename of a watched folder: still the folder it watches, nothing to do. Gone or
   * replaced (`mv src src.old && mv src.new src`, a git checkout) — its watchers follow the old
   * inode, so they go, and what is at its path now is watched anew (its files count as changed); a
   * root that went is waited for again from its nearest folder.
   */
  async #recheckFolder(dir: string): Promise<void> {
    const stat = await lstat(dir).catch(() => undefined);
    const watched = this.#watchers.get(dir);
    if (this.#closed || !watched || (stat?.isDirectory() && stat.ino === watched.ino)) return;
    this.#dropTree(dir);
    if (stat?.isDirectory()) await this.#add(dir, true);
    else if (this.#roots.includes(dir)) {
      const start = await nearestFolder(dir);
      if (start !== undefined) await this.#add(start, false);
    }
  }

  #dropTree(dir: string): void {
    const prefix = dir + sep;
    for (const path of [...this.#watchers.keys()]) if (path === dir || path.startsWith(prefix)) this.#drop(path);
  }

  #drop(dir: string): void {
    const watched = this.#watchers.get(dir);
    if (!watched) return;
    watched.watcher.close();
    this.#watchers.delete(dir);
    this.options.budget.give();
  }
}

/** `path` if it is a folder, else its nearest ancestor that is one (undefined: none, which cannot be on a real disk). */
async function nearestFolder(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    const stat = await lstat(current).catch(() => undefined);
    if (stat?.isDirectory()) return current;
    if (dirname(current) === current) return undefined;
  }
}
