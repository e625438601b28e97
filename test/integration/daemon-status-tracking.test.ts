/**
 * `daemon status` (and `--json`) says how the owner keeps each service's processes together — a
 * cgroup per service with this home's folder, or process groups and markers with the reason — from
 * `hello`; an owner older than that field is still reported, without the line.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackingLine } from '@shared/contract/tracking';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { daemonSocketPath, privateStateRoot } from '../../src-main/daemon/daemon-paths';
import { privateHomes } from '../support/cli-process';

const REGISTRY = '[services.web.deployment]\nmode = "binary"\nbinary = { command = "node" }\n';
const homes = privateHomes(REGISTRY);
let older: Server | undefined;
afterEach(async () => {
  older?.close();
  older = undefined;
  await homes.cleanup();
});

describe('daemon status', () => {
  it('names the process tracking in use on this machine', async () => {
    const h = homes.create();
    await h.run(['services', 'status']);
    const cgroup = homeCgroup(h.home);
    const expected = { ...processTracking(), ...(cgroup ? { cgroup } : {}) };
    const json = JSON.parse((await h.run(['daemon', 'status', '--json'])).stdout) as { tracking?: unknown };
    expect(json.tracking).toEqual(expected);
    expect((await h.run(['daemon', 'status'])).stdout).toContain(`process tracking: ${trackingLine(expected)}`);
    if (cgroup) expect(trackingLine(expected)).toMatch(/^cgroup per service in \/sys\/fs\/cgroup\/.*provisioning-[0-9a-f]{16}: /);
  });

  it('still reports an older owner that does not say', async () => {
    const h = homes.create();
    privateStateRoot(h.home);
    older = createServer((socket) =>
      socket.on('data', (chunk) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const { id } = JSON.parse(line) as { id: number };
          socket.write(`${JSON.stringify({ id, ok: true, result: { pid: process.pid, home: h.home, registry: h.registry } })}\n`);
        }
      }),
    );
    await new Promise<void>((resolve) => older!.listen(daemonSocketPath(h.home), resolve));
    const { code, stdout } = await h.run(['daemon', 'status']);
    expect(code).toBe(0);
    expect(stdout).toBe(`daemon pid ${process.pid} owns ${h.home} (registry ${h.registry})\n`);
  });
});
