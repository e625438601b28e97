/**
 * The owner loads a mode's driver only when a service of that mode exists: a daemon supervising
 * binary services never loads dockerode (with grpc, protobuf and ssh2) nor the Kubernetes client;
 * one whose registry has a docker service does. Seen from outside the daemon by the module recorder.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHomes, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

const DRIVER_PACKAGES = /node_modules\/(dockerode|docker-modem|ssh2|@grpc|protobufjs|@kubernetes)\//;
const homes = privateHomes('');
afterAll(() => homes.cleanup());

/** `daemon run` in the foreground with its modules recorded; stopped (`daemon stop`) once `during` is done. */
async function daemonModules(h: Home, during: () => Promise<void>): Promise<string[]> {
  const record = join(tempDir('pcc-modules-'), 'modules.txt');
  const recorder = join(process.cwd(), 'test', 'support', 'module-recorder.mjs');
  const env = { ...process.env, PROVISIONING_HOME: h.home, PROVISIONING_OWNERS_DIR: join(h.home, 'owners-index'), MODULE_RECORD: record };
  const daemon = spawn(process.execPath, ['--import', recorder, 'bin/provisioning.js', 'daemon', 'run', '--config', h.registry], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  await waitFor(async () => {
    const client = await OwnerClient.connect(daemonSocketPath(h.home)).catch(() => undefined);
    client?.close();
    return client !== undefined;
  });
  await during();
  expect((await h.run(['daemon', 'stop'])).code).toBe(0);
  await exited;
  return readFileSync(record, 'utf8').split('\n').filter(Boolean);
}

it('a daemon of binary services loads no Docker or Kubernetes client, even while it starts and stops one', async () => {
  const h = homes.create(nodeService('web', ['-e', 'setInterval(() => {}, 1e9)']));
  const modules = await daemonModules(h, async () => {
    expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
    expect((await h.run(['services', 'stop', 'web'])).code).toBe(0);
  });
  // The recorder sees the daemon's packages: it parsed the registry with zod.
  expect(modules.some((path) => /node_modules\/zod\//.test(path))).toBe(true);
  expect(modules.filter((path) => DRIVER_PACKAGES.test(path))).toEqual([]);
});

it('a daemon whose registry has a docker service loads dockerode (the recorder sees driver packages where they load)', async () => {
  const h = homes.create(`[services.box.deployment]\nmode = "docker"\ndocker = { image = "local/busybox:test" }\n`);
  const modules = await daemonModules(h, async () => undefined);
  expect(modules.some((path) => /node_modules\/dockerode\//.test(path))).toBe(true);
  expect(modules.some((path) => /node_modules\/@kubernetes\//.test(path))).toBe(false);
});
