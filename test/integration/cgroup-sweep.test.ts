/** A process killed while no owner ran leaves an empty cgroup folder; the next owner removes it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findInstanceCgroup, homeCgroup } from '../../src-main/core/process/service-cgroup';
import { alive, harness, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { track } = harnesses();

it('removes the empty cgroup of an instance killed while no owner ran', async (context) => {
  const first = await harness(nodeService('idle', ['-e', 'setInterval(() => {}, 1000)'], '', 'restart = "no"'));
  if (!homeCgroup(first.home)) {
    if (process.env['CI'] === 'true') throw new Error('no cgroup can be made here (CI=true)');
    return context.skip('no cgroup can be made on this machine');
  }
  const { pid } = await first.engine.start('idle');
  const instance = (JSON.parse(readFileSync(join(first.home, 'services', 'state', 'idle.json'), 'utf8')) as { process: { instance: string } }).process.instance;
  const cgroup = findInstanceCgroup(first.home, instance)!;
  expect(existsSync(cgroup)).toBe(true);
  await first.engine.close();
  process.kill(pid!, 'SIGKILL');
  await waitFor(() => !alive(pid!));
  track(await first.reopen());
  expect(existsSync(cgroup)).toBe(false);
});
