/**
 * The real `provisioning` CLI and daemon on Debian's nginx (in the foreground with `daemon off;`, and
 * forking) and `redis-server --daemonize yes`, 10 trials each: started and healthy, adopted with the
 * same pids after the owning daemon is SIGKILLed, stopped with nothing of the tree left. `daemon
 * status`'s tracking line is tested in daemon-status-tracking.test.ts.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { privateStateRoot, recordedOwnerPid } from '../../src-main/daemon/daemon-paths';
import { privateHomes, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { alive, freePort, waitFor } from '../support/engine-harness';
import { cgroupTree, missingServers, nginxService, parentOf, redisService } from '../support/real-servers';

const TRIALS = 10;
const cgroup = processTracking().mechanism === 'cgroup';
if (missingServers.length > 0 && process.env['CI'] === 'true') throw new Error(`missing ${missingServers.join(', ')}: run npm run infra`);

const homes = privateHomes('');
afterEach(() => homes.cleanup());

interface Status {
  state: string;
  pid?: number;
  reason: string;
}

const KINDS = {
  'nginx (daemon off;)': { make: (port: number) => nginxService('web', port, tempDir('pcc-nginx-'), { foreground: true }), processes: 3, forking: false },
  'nginx (forking)': { make: (port: number) => nginxService('web', port, tempDir('pcc-nginx-')), processes: 3, forking: true },
  'redis-server --daemonize yes': { make: (port: number) => redisService('web', port, tempDir('pcc-redis-')), processes: 1, forking: true },
};

/** A `services` command's status (`--json`); the command's output in the message when it printed none. */
async function json(h: Home, args: string[]): Promise<Status & { code: number | null }> {
  const { code, stdout, stderr } = await h.run(['services', ...args, 'web', '--json']);
  try {
    return { ...(JSON.parse(stdout) as Status), code };
  } catch {
    throw new Error(`services ${args.join(' ')} printed no JSON (exit ${code}): ${stdout}${stderr}`);
  }
}

describe.skipIf(missingServers.length > 0 || !cgroup)('real servers through the CLI and daemon', () => {
  for (const [kind, { make, processes, forking }] of Object.entries(KINDS)) {
    it(`${kind}: ${TRIALS} trials of start, daemon SIGKILL, adoption with the same pids, stop with nothing left`, { timeout: 600_000 }, async () => {
      const h = homes.create(make(await freePort()));
      // Three CLI runs a trial (each a Node start): the daemon's pid is read from its pid file.
      const daemonPid = () => recordedOwnerPid(privateStateRoot(h.home));
      for (let trial = 0; trial < TRIALS; trial++) {
        const started = await json(h, ['start']);
        expect(started, `trial ${trial}: ${started.reason}`).toMatchObject({ code: 0, state: 'healthy' });
        // The whole tree in its cgroup: nginx's master and two workers, redis's daemon.
        const pids = (
          await waitFor(() => {
            const found = cgroupTree(h.home, 'web');
            return found.length >= processes && found;
          })
        ).sort();
        const daemon = daemonPid()!;
        // A forking launcher has exited: no member is the daemon's child any more, and the service names the daemon.
        if (forking) await waitFor(() => pids.every((pid) => parentOf(pid) !== daemon));

        process.kill(daemon, 'SIGKILL');
        await waitFor(() => !alive(daemon));
        const adopted = await json(h, ['status']); // a new daemon, started on demand, adopts what runs
        expect(adopted, `trial ${trial}: ${adopted.reason}`).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^adopted \(pid \d+\)/) });
        expect(pids).toContain(adopted.pid);
        expect(daemonPid()).not.toBe(daemon);
        expect(cgroupTree(h.home, 'web').sort()).toEqual(pids);

        const stopped = await json(h, ['stop']);
        expect(stopped, `trial ${trial}: ${stopped.reason}`).toMatchObject({ code: 0, state: 'stopped' });
        expect(pids.filter(alive)).toEqual([]);
        expect(managedProcesses(h.home)).toEqual([]);
        expect(existsSync(homeCgroup(h.home)!)).toBe(false);
      }
    });
  }
});
