/**
 * Service records under <home>/services: state/<name>.json (the record), pids/<name>.pid (the pid,
 * as the seed kept it), logs/ (see the log pipeline). The directory is private (0700) and every write
 * is atomic. A corrupt record is set aside with a warning and never takes other services down.
 */
import { chmod, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { serviceRecordSchema, type ServiceRecord } from './service-record';

export interface StateDirs {
  readonly root: string;
  readonly state: string;
  readonly pids: string;
  readonly logs: string;
}

export const stateDirs = (home: string): StateDirs => {
  const root = join(home, 'services');
  return { root, state: join(root, 'state'), pids: join(root, 'pids'), logs: join(root, 'logs') };
};

export type StoreWarning = (message: string) => void;

export class StateStore {
  readonly dirs: StateDirs;

  private constructor(
    home: string,
    private readonly warn: StoreWarning,
  ) {
    this.dirs = stateDirs(home);
  }

  static async open(home: string, warn: StoreWarning): Promise<StateStore> {
    const store = new StateStore(home, warn);
    await mkdir(home, { recursive: true, mode: 0o700 });
    for (const dir of [store.dirs.root, store.dirs.state, store.dirs.pids, store.dirs.logs]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
    }
    return store;
  }

  async read(name: string): Promise<ServiceRecord | undefined> {
    const file = join(this.dirs.state, `${name}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return serviceRecordSchema.parse(JSON.parse(text));
    } catch {
      const aside = `${file}.corrupt-${Date.now()}`;
      await rename(file, aside).catch(() => undefined);
      this.warn(`state of '${name}' was unreadable and was moved to ${aside}; its processes are found by their markers instead`);
      return undefined;
    }
  }

  async readAll(): Promise<ServiceRecord[]> {
    const names = (await readdir(this.dirs.state)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    const records = await Promise.all(names.map((name) => this.read(name)));
    return records.filter((record): record is ServiceRecord => record !== undefined);
  }

  async write(record: ServiceRecord): Promise<void> {
    await writeFileAtomic(join(this.dirs.state, `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    const pidFile = join(this.dirs.pids, `${record.name}.pid`);
    if (record.process?.pid) await writeFileAtomic(pidFile, `${record.process.pid}\n`);
    else await rm(pidFile, { force: true });
  }
}
