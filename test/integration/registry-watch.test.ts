/**
 * The owner's registry watcher sees every file the registry is made of: the registry, an override
 * file that appears beside it, and env files — also one an edit names later — so a face is told
 * the registry changed whichever file was saved.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryFile } from '../../src-main/core/registry/registry-file';

const service = (envFiles: string) => `env_files = ${envFiles}\n[services.a]\ndeployment = { mode = "binary", binary = { command = "sleep", args = ["1"] } }\n`;

describe('registry watch', () => {
  it('reports a change of the registry, of services.local.toml and of each env file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pcc-watch-'));
    const registry = join(folder, 'services.toml');
    writeFileSync(registry, service('[".env"]'));
    writeFileSync(join(folder, '.env'), 'A=1\n');
    const file = new RegistryFile({ path: registry, source: 'flag' }, folder);
    let changes = 0;
    let wake: () => void = () => {};
    const stop = file.watch(() => {
      changes += 1;
      wake();
    });
    /** Writes, then waits for the change it causes (the watcher is made again after each one). */
    const saved = async (path: string, text: string) => {
      const before = changes;
      const seen = new Promise<void>((resolve) => (wake = resolve));
      // The watchers are set up asynchronously: write until one hears it (bounded).
      for (let attempt = 0; attempt < 50 && changes === before; attempt++) {
        writeFileSync(path, `${text}# ${attempt}\n`);
        await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 200))]);
      }
      return changes > before;
    };
    try {
      expect(await saved(join(folder, '.env'), 'A=2\n')).toBe(true);
      expect(await saved(join(folder, 'services.local.toml'), '[services.a]\ndescription = "mine"\n')).toBe(true);
      expect(await saved(registry, service('[".env", "later.env"]'))).toBe(true);
      // Named by the edit just made: watched from then on.
      expect(await saved(join(folder, 'later.env'), 'B=1\n')).toBe(true);
      expect((await file.definitions()).services?.[0]?.description).toBe('mine');
    } finally {
      stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
