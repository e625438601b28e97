/**
 * Debian's own self-daemonizing servers (installed by `npm run infra`: scripts/infra/servers.sh) under
 * the binary driver: nginx without `daemon off;` (master + workers, environ rewritten for their
 * titles) and `redis-server --daemonize yes`. Their launchers exit 0 while the daemon runs on: the
 * service's cgroup holds the whole tree, so it is started, adopted, stopped and, once removed from
 * the registry, still found (as `external`) and stopped by name.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanMarked } from '../../src-main/core/process/environ-scan';
import { OWNER_VARIABLE } from '../../src-main/core/process/managed-processes';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { tempDir } from '../support/cli-run';
import { alive, freePort, harness, harnesses, waitFor } from '../support/engine-harness';
import { cgroupTree as tree, missingServers as missing, nginxService, parentOf, redisService, serverService as service } from '../support/real-servers';

const { track } = harnesses();
const cgroup = processTracking().mechanism === 'cgroup';
if (missing.length > 0 && process.env['CI'] === 'true') throw new Error(`missing ${missing.join(', ')}: run npm run infra`);
if (missing.length > 0) console.warn(`real-servers: skipped, ${missing.join(', ')} not installed (npm run infra installs them)`);
if (!cgroup) console.warn(`real-servers: skipped, no cgroup here: ${processTracking().detail}`);

describe.skipIf(missing.length > 0 || !cgroup)('self-daemonizing servers in a cgroup', () => {
  for (const kind of ['nginx', 'redis'] as const) {
    it(`${kind}: its launcher exits 0, the daemon is the service: healthy, adopted with the same pids, stopped with nothing left`, async () => {
      const port = await freePort();
      const dir = tempDir(`pcc-${kind}-`);
      const text = kind === 'nginx' ? nginxService('web', port, dir) : redisService('web', port, dir);
      const first = await harness(text);
      const started = await first.engine.start('web');
      expect(started.state).toBe('healthy');
      // The tree once the launcher has exited 0 (none of it is our child any more): the daemon runs
      // on, and the service with it (it names the daemon once it knows it).
      const pids = await waitFor(() => {
        const found = tree(first.home, 'web');
        return found.length >= (kind === 'nginx' ? 3 : 1) && found.every((pid) => parentOf(pid) !== process.pid) && found;
      });
      expect(first.engine.status().find((s) => s.name === 'web')?.state).toBe('healthy');
      expect(pids.filter(alive)).toEqual(pids);
      await first.engine.close();

      const second = track(await first.reopen());
      const adopted = second.engine.status().find((s) => s.name === 'web')!;
      expect(adopted.state).toBe('healthy');
      expect(pids).toContain(adopted.pid);
      expect(tree(second.home, 'web').sort()).toEqual([...pids].sort());

      const stopped = await second.engine.stop('web');
      expect(stopped.state).toBe('stopped');
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(homeCgroup(second.home)!)).toBe(false);
    });
  }

  it('nginx removed from the registry while it runs, its environ rewritten: listed external, stopped by name', async () => {
    const port = await freePort();
    const text = nginxService('edge', port, tempDir('pcc-nginx-'));
    const first = await harness(text);
    await first.engine.start('edge');
    const pids = await waitFor(() => {
      const found = tree(first.home, 'edge');
      return found.length >= 3 && found;
    });
    // What markers alone would find: nginx rewrote its environment, so not every process of its tree.
    const marked = scanMarked(`${OWNER_VARIABLE}=${first.home}`).map((p) => p.pid);
    expect(pids.filter((pid) => !marked.includes(pid)).length).toBeGreaterThan(0);
    await first.engine.close();

    const other = await freePort();
    const second = track(await harness(service('other', '/bin/sleep', ['1000'], other), first.home));
    expect(second.engine.status().find((s) => s.name === 'edge')).toMatchObject({ state: 'external' });
    expect((await second.engine.stop('edge')).state).toBe('stopped');
    expect(pids.filter(alive)).toEqual([]);
  });
});
