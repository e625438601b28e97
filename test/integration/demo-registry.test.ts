/**
 * The embedded demo registry really runs: every service starts, passes its check, and stays up. It
 * runs as a copy on ports the kernel gives (test/support/demo-registry-copy.ts), so the demo itself
 * may run on this machine meanwhile.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/core/engine';
import { loadRegistry } from '../../src-main/core/registry/load-registry';
import { tempDir } from '../support/cli-run';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';
import { waitFor } from '../support/engine-harness';

const NAMES = ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'];

let engine: Engine | undefined;
afterAll(async () => {
  if (!engine) return;
  for (const s of engine.status()) if (s.pid) await engine.stop(s.name);
  await engine.close();
});

describe('demo registry', () => {
  it('starts every service healthy, in dependency order, and they stay healthy', async () => {
    const home = tempDir('pcc-demo-');
    const path = join(tempDir('pcc-demo-registry-'), 'demo.toml');
    const { text, ports } = await demoRegistryWithFreePorts();
    expect([...ports.keys()].sort()).toEqual([4701, 4702, 4703, 4705, 4706]);
    writeFileSync(path, text);
    const { registry } = await loadRegistry({ path, source: 'env' }, process.cwd());
    engine = await createEngine({ home, registry: registry!, registryDir: dirname(path), env: process.env });
    for (const name of NAMES) expect(await engine.start(name), name).toMatchObject({ state: 'healthy' });
    // A round of steady checks, each one after every service was ready.
    const allReady = Math.max(...engine.status().map((s) => s.since));
    await waitFor(() => NAMES.every((name) => engine!.healthHistory(name).some((result) => result.at >= allReady)), 60_000);
    expect(NAMES.flatMap((name) => engine!.healthHistory(name).filter((result) => result.at >= allReady && !result.ok))).toEqual([]);
    expect(engine.status().map((s) => `${s.name} ${s.state} ${s.restarts}`)).toEqual(NAMES.map((name) => `${name} healthy 0`));
    const health = await promisify(execFile)(process.execPath, [join('bin', 'provisioning.js'), 'services', 'health', '--json'], {
      env: { ...process.env, PROVISIONING_HOME: home, PROVISIONING_CONFIG: path },
    });
    expect((JSON.parse(health.stdout) as { result: { ok: boolean } }[]).every((r) => r.result.ok)).toBe(true);
  }, 120_000); // a guard against a hang, not a speed goal
});
