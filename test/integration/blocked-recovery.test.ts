/**
 * Desired state (issue 16): a service blocked behind a dependency that failed stays wanted, and
 * starts by itself — and becomes healthy — once the dependency's restart policy brings it back;
 * `services why` names the cause as it is at each step, and shows the last platform start only as
 * history.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { ownerOf } from '../support/home-client';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

const dir = tempDir('pcc-recovery-');
const fixed = join(dir, 'fixed');
const ready = join(dir, 'dep.ready');
/** Exits 1 at once until `fixed` exists; then marks itself ready and keeps running. */
const flaky = `const fs = require('fs'); const [fixed, ready] = process.argv.slice(1); fs.rmSync(ready, { force: true });
if (!fs.existsSync(fixed)) { console.error('boom: not fixed yet'); process.exit(1); }
fs.writeFileSync(ready, 'ok'); setInterval(() => {}, 1000);`;
const REGISTRY = [
  nodeService(
    'dep',
    ['-e', flaky, fixed, ready],
    '',
    'timeout = "10s"\nrestart = "on-failure"\nrestart_delay = "300ms"\nrestart_delay_max = "1s"\nstart_limit = 1000',
  ),
  `[services.dep.health_check]\ntype = "file"\ninterval = "300ms"\ntimeout = "300ms"\nretries = 1\nfile = { path = ${JSON.stringify(ready)} }\n`,
  nodeService('top', ['-e', 'setInterval(() => {}, 1000)'], 'dependencies = ["dep"]'),
].join('\n');

let home: Home;
let client: OwnerClient;

beforeAll(async () => {
  home = privateHome(REGISTRY);
  client = await ownerOf(home);
}, 30_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
});

const stateOf = async (name: string) => (await client.call('status')).find((s) => s.name === name)?.state;

describe('a wanted service blocked behind a failed dependency', () => {
  it('starts on its own once the restart policy brings the dependency back, and why follows the live cause', async () => {
    const start = await home.run(['platform', 'start', 'top']);
    expect(start.code).toBe(1);
    expect(start.stdout).toContain('✗ dep failed');
    expect(start.stdout).toContain('✗ top blocked');

    const blocked = await home.run(['services', 'why', 'top']);
    expect(blocked.code).toBe(0);
    expect(blocked.stdout.split('\n')[0]).toMatch(/^top is blocked: .*dep/);
    expect(blocked.stdout).toMatch(/← needs dep is (failed|crash-loop|starting): /);
    expect(blocked.stdout).toContain('root cause: dep');
    expect(blocked.stdout).toMatch(/history, not the current cause — the last platform start \(.*\):\n {2}top blocked/);
    expect((await home.run(['services', 'why', 'dep'])).stdout.split('\n')[0]).toMatch(/^dep is (failed|crash-loop|starting): /);

    writeFileSync(fixed, 'yes');
    await waitFor(async () => (await stateOf('dep')) === 'healthy');
    // Nobody asks again: the start that was wanted goes on by itself (an engine without desired state leaves top blocked: this times out).
    await waitFor(async () => (await stateOf('top')) === 'healthy');
    expect(home.processes('top')).toHaveLength(1);

    const healthy = await home.run(['services', 'why', 'top']);
    expect(healthy.stdout.split('\n')[0]).toMatch(/^top is healthy: /);
    expect(healthy.stdout).not.toContain('root cause');
    expect(healthy.stdout).not.toContain('← needs');
    // The failed start is still told, as what happened then.
    expect(healthy.stdout).toMatch(/history, not the current cause — the last platform start \(.*\):\n {2}top blocked/);
  }, 90_000);
});
