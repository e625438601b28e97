/**
 * The person's settings, in `<home>/settings.json`, shared by every face of that home. A missing or
 * damaged file reads as the defaults (a damaged one is never overwritten silently: it is kept aside).
 */
import { readFile, rename } from 'node:fs/promises';
import { readSettingsJson, settingsFile } from './settings-file';
import { settingsSchema, type Settings } from '@shared/contract/settings';
import { writeFileAtomic } from './state/atomic-write';

export class SettingsStore {
  readonly file: string;
  readonly #listeners = new Set<(settings: Settings) => void>();
  #writing: Promise<unknown> = Promise.resolve();

  constructor(home: string) {
    this.file = settingsFile(home);
  }

  async read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return settingsSchema.parse({});
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = settingsSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    await rename(this.file, `${this.file}.damaged`).catch(() => undefined);
    return settingsSchema.parse({});
  }

  /** Calls back with the settings after each change made through this store. */
  subscribe(listener: (settings: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Applies a (validated) partial change, one at a time, and returns the settings now. */
  update(patch: Partial<Settings>): Promise<Settings> {
    const result = this.#writing.then(async () => {
      const next = settingsSchema.parse({ ...(await this.read()), ...patch });
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.#listeners.forEach((listener) => listener(next));
      return next;
    });
    this.#writing = result.catch(() => undefined);
    return result;
  }
}

/** The registry chosen in the settings, read synchronously for registry discovery; null when none. */
export function registryPathSetting(home: string): string | null {
  try {
    return settingsSchema.parse(readSettingsJson(home) ?? {}).registryPath;
  } catch {
    return null;
  }
}
