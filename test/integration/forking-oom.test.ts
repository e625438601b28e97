/**
 * A forking service whose daemon the memory limit kills: the run ends when its last process does,
 * with no exit status to see (the daemon is not our child), and the cgroup's OOM counter says why —
 * `failed` with "out of memory", not "all its processes ended".
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { controllerSupport } from '../../src-main/core/process/cgroup-resources';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { tempDir } from '../support/cli-run';
import { harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open } = harnesses();
const dir = tempDir('pcc-forking-oom-');
const trigger = join(dir, 'allocate');
const forked = join(dir, 'forked');
// The daemon: says it runs, then allocates 200 MB (all touched) once the trigger file exists.
const DAEMON = `
const fs = require('fs');
fs.writeFileSync(${JSON.stringify(forked)}, String(process.pid));
const held = [];
setInterval(() => { if (fs.existsSync(${JSON.stringify(trigger)})) for (let i = 0; i < 20; i++) held.push(Buffer.alloc(10e6, 1)); }, 50);`;
// The launcher forks it off and exits 0, as a daemonizing server does.
const LAUNCHER = `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(DAEMON)}], { detached: true, stdio: 'ignore' }).unref();`;

it('a forking daemon killed by its memory limit is failed with "out of memory"', async (context) => {
  const h = await open(nodeService('forky', ['-e', LAUNCHER], 'resources = { memory = "64Mi" }', 'restart = "no"'));
  if (!homeCgroup(h.home) || controllerSupport('memory').kind === 'none') {
    if (process.env['CI'] === 'true') throw new Error('no memory controller can be used here (CI=true)');
    return context.skip('no memory cgroup controller on this machine');
  }
  expect((await h.engine.start('forky')).state).toBe('healthy');
  await waitFor(() => existsSync(forked));
  // The launcher is gone and the run goes on: the daemon is what runs now.
  await waitFor(() => h.engine.status().find((s) => s.name === 'forky')?.pid === Number(readFileSync(forked, 'utf8')));
  writeFileSync(trigger, 'go');
  const failed = await waitFor(() => {
    const now = h.engine.status().find((s) => s.name === 'forky');
    return now?.state === 'failed' && now;
  });
  expect(failed.lastExit?.reason).toBe('out of memory: killed by the kernel at its limit (resources.memory = "64Mi")');
  expect(failed.reason).toMatch(/out of memory/);
});
