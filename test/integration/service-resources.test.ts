/**
 * Resources and usage of a binary service (issue 17, items 7 and 8), through the real CLI and its
 * daemon: `resources = { memory = "64Mi" }` is enforced by the cgroup's memory controller (v2
 * memory.max, or a v1 memory cgroup beside the v2 one on hybrid machines), and the service's CPU and
 * memory are in `services status --json` and the table while it runs; once it allocates 200 MB the
 * kernel kills it and it is `failed` with "out of memory".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { controllerSupport } from '../../src-main/core/process/cgroup-resources';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

const trigger = join(tempDir('pcc-resources-'), 'allocate');
// Busy (about one core) while holding 8 MiB, then 200 MB once the trigger file exists, all touched (Buffer.alloc fills).
const HUNGRY = `
const fs = require('fs');
const held = [Buffer.alloc(8 << 20, 1)];
const spin = () => {
  const end = Date.now() + 40;
  while (Date.now() < end);
  if (fs.existsSync(${JSON.stringify(trigger)})) for (let i = 0; i < 20; i++) held.push(Buffer.alloc(10e6, 1));
  setTimeout(spin, 0);
};
spin();`;
const REGISTRY = nodeService('hungry', ['-e', HUNGRY], 'resources = { memory = "64Mi" }', 'restart = "no"');

let home: Home;
beforeAll(() => {
  home = privateHome(REGISTRY);
});
afterAll(async () => {
  await home?.cleanup();
});

const status = async (): Promise<ServiceStatus> => JSON.parse((await home.run(['services', 'status', 'hungry', '--json'])).stdout) as ServiceStatus;

it('a 64Mi service that allocates 200 MB shows its usage, then is killed by the limit and failed with "out of memory"', async (context) => {
  if (!homeCgroup(home.home) || controllerSupport('memory').kind === 'none') {
    if (process.env['CI'] === 'true') throw new Error('no memory controller can be used here (CI=true)');
    return context.skip('no memory cgroup controller on this machine');
  }
  const start = await home.run(['services', 'start', 'hungry']);
  expect({ code: start.code, stderr: start.stderr }).toEqual({ code: 0, stderr: '' });
  // Its usage is sampled while it runs: a busy loop and at least the 8 MiB it holds.
  const busy = await waitFor(async () => {
    const now = await status();
    return now.usage && now.usage.cpuPercent > 20 && now.usage.memoryBytes > 8 * 2 ** 20 ? now : undefined;
  });
  expect(busy.state).toBe('healthy');
  const table = await home.run(['services', 'status']);
  expect(table.stdout).toMatch(/\bCPU\s+MEMORY\b/);
  expect(table.stdout).toMatch(/hungry .* \d+\.\d% +\d+\.\d MiB /);

  writeFileSync(trigger, 'go');
  const failed = await waitFor(async () => {
    const now = await status();
    return now.state === 'failed' ? now : undefined;
  });
  expect(failed.reason).toMatch(/out of memory/);
  expect(failed.lastExit).toMatchObject({ signal: 'SIGKILL' });
  expect(failed.lastExit!.reason).toBe('out of memory: killed by the kernel at its limit (resources.memory = "64Mi")');
  expect(failed.usage).toBeUndefined();
}, 90_000);
