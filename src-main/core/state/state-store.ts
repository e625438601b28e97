/**
 * Service records under <home>/services: state/<name>.json (the record), pids/<name>.pid (the pid,
 * as the seed kept it), logs/ (see the log pipeline). The directory is private (0700) and every write
 * is atomic. Whatever is in the way — a corrupt record, a directory where a record goes, a file where
 * a directory goes — is set aside with a warning and never takes other services down; a record that
 * still cannot be kept is a warning too, so the service runs on (found by its markers after a restart).
 * Only a home whose services folder cannot be made or used stops the engine, with a clear error.
 */
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../read-regular-file';
import { writeFileAtomic } from './atomic-write';
import { serviceRecordSchema, type ServiceRecord } from './service-record';
import { stateDirs, type StateDirs } from './state-dirs';

export { stateDirs, type StateDirs };

export type StoreWarning = (message: string) => void;

const FOUND_BY_MARKERS = 'its processes are found by their markers instead';

/** A record is a few hundred bytes: anything much larger is not one, and is not read whole. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** Set-asides made by this process, so two in one millisecond get different names. */
let asides = 0;

/** The home cannot hold service records at all: what to do is said. */
export class HomeUnusableError extends Error {
  constructor(dir: string, cause: Error) {
    super(`cannot use ${dir} for the services' state (${cause.message}): make it a folder you own, or choose another home with PROVISIONING_HOME`);
    this.name = 'HomeUnusableError';
  }
}

export class StateStore {
  readonly dirs: StateDirs;

  private constructor(
    home: string,
    private readonly warn: StoreWarning,
  ) {
    this.dirs = stateDirs(home);
  }

  /**
   * Throws HomeUnusableError when the home or its services folder cannot be used; a sub-folder that
   * cannot (state/, pids/, logs/) is a warning, and what it would hold fails with warnings of its own.
   */
  static async open(home: string, warn: StoreWarning): Promise<StateStore> {
    const store = new StateStore(home, warn);
    await mkdir(home, { recursive: true, mode: 0o700 }).catch((error: Error) => Promise.reject(new HomeUnusableError(home, error)));
    await store.#directory(store.dirs.root).catch((error: Error) => Promise.reject(new HomeUnusableError(store.dirs.root, error)));
    for (const dir of [store.dirs.state, store.dirs.pids, store.dirs.logs]) {
      await store
        .#directory(dir)
        .catch((error: Error) => warn(`${dir} cannot be used (${error.message}): service records or logs are not kept until it can; make it a folder you own`));
    }
    return store;
  }

  /** The record, or undefined when there is none or it could not be read (then it is set aside). */
  async read(name: string): Promise<ServiceRecord | undefined> {
    const file = join(this.dirs.state, `${name}.json`);
    let text: string;
    try {
      // Not blocking, regular files only, bounded: a FIFO put there would otherwise hang the engine.
      const read = await readRegularFile(file, MAX_RECORD_BYTES);
      if (!('bytes' in read)) {
        const what =
          read.problem === 'directory'
            ? 'a directory, not a file,'
            : read.problem === 'not-regular'
              ? `${read.what}, not a file,`
              : read.problem === 'too-large'
                ? `larger than a record can be (${read.size} bytes)`
                : 'replaced while it was read';
        await this.#setAside(file, `state of '${name}' was ${what}`, FOUND_BY_MARKERS).catch(() => undefined);
        return undefined;
      }
      text = read.bytes.toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      await this.#setAside(file, `state of '${name}' was unreadable (${code})`, FOUND_BY_MARKERS).catch(() => undefined);
      return undefined;
    }
    const parsed = serviceRecordSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    await this.#setAside(file, `state of '${name}' was unreadable`, FOUND_BY_MARKERS).catch(() => undefined);
    return undefined;
  }

  /** Never throws: a record that cannot be kept is a warning, and supervision goes on from memory. */
  async write(record: ServiceRecord): Promise<void> {
    const { name } = record;
    try {
      await this.#replace(name, join(this.dirs.state, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
      await this.#replace(name, join(this.dirs.pids, `${name}.pid`), record.process?.pid ? `${record.process.pid}\n` : undefined);
    } catch (error) {
      this.warn(`state of '${name}' could not be kept: ${(error as Error).message}; until it can, ${FOUND_BY_MARKERS} after a restart`);
    }
  }

  /** Writes (or, without content, removes) one file of a service; a directory in its place is set aside first. */
  async #replace(name: string, file: string, content: string | undefined): Promise<void> {
    const put = () => (content === undefined ? rm(file, { force: true }) : writeFileAtomic(file, content));
    try {
      await put();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // rename onto a directory says EISDIR; rm of one says ERR_FS_EISDIR.
      if (code !== 'EISDIR' && code !== 'ERR_FS_EISDIR') throw error;
      await this.#setAside(file, `a directory stood where the state of '${name}' goes (${file})`);
      await put();
    }
  }

  /** A private directory; a file (or anything else) in its place is set aside first. */
  async #directory(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await this.#setAside(dir, `${dir} was a file, not a directory,`, dir === this.dirs.state ? FOUND_BY_MARKERS : undefined);
      await mkdir(dir, { mode: 0o700 });
    }
    // Not ours to change (a root-owned folder): it is used as it is, and the user told.
    await chmod(dir, 0o700).catch((error: Error) => this.warn(`${dir} could not be made private (mode 0700): ${error.message}; make it a folder you own`));
  }

  /** Moves `path` aside (kept for the user to look at) and says so; if it cannot be moved, says what to do. */
  async #setAside(path: string, what: string, consequence?: string): Promise<void> {
    const aside = `${path}.corrupt-${Date.now()}-${++asides}`;
    try {
      await rename(path, aside);
    } catch (error) {
      this.warn(`${what} and could not be moved aside (${(error as Error).message}): remove ${path}`);
      throw error;
    }
    this.warn(`${what} and was moved to ${aside}${consequence ? `; ${consequence}` : ''}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
