/** The embedded demo registry really runs: every service starts, passes its check, and stays up. */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/core/engine';
import { embeddedRegistryPath } from '../../src-main/core/paths';
import { loadRegistry } from '../../src-main/core/registry/load-registry';
import { tempDir } from '../support/cli-run';

let engine: Engine | undefined;
afterAll(async () => {
  if (!engine) return;
  for (const s of engine.status()) if (s.pid) await engine.stop(s.name);
  await engine.close();
});

describe('demo registry', () => {
  it('starts every service healthy, in dependency order, and they stay healthy', async () => {
    const home = tempDir('pcc-demo-');
    const path = embeddedRegistryPath();
    const { registry } = await loadRegistry({ path, source: 'embedded' }, process.cwd());
    engine = await createEngine({ home, registry: registry!, registryDir: dirname(path), env: process.env });
    for (const name of ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web']) {
      expect(await engine.start(name), name).toMatchObject({ state: 'healthy' });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a round of steady checks
    expect(engine.status().map((s) => `${s.name} ${s.state} ${s.restarts}`)).toEqual([
      'orchestrator healthy 0',
      'auth healthy 0',
      'cache healthy 0',
      'indexer healthy 0',
      'api healthy 0',
      'web healthy 0',
    ]);
    const health = await promisify(execFile)(process.execPath, [join('bin', 'provisioning.js'), 'services', 'health', '--json'], {
      env: { ...process.env, PROVISIONING_HOME: home },
    });
    expect((JSON.parse(health.stdout) as { result: { ok: boolean } }[]).every((r) => r.result.ok)).toBe(true);
  }, 30_000);
});
