/**
 * The fallback where no cgroup can be made, forced by PROVISIONING_PROCESS_TRACKING=tree: Debian's
 * self-daemonizing nginx (no `daemon off;`) and `redis-server --daemonize yes` leave their group and
 * session and rewrite their environment, so neither groups nor markers find them. Their recorded
 * process trees (pid + start time, in `<instance>.tree` beside the pid files) do: they are adopted
 * with the same pids, stopped with nothing left, and, once removed from the registry, listed
 * `external` and stopped by name.
 */
process.env['PROVISIONING_PROCESS_TRACKING'] = 'tree';

import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { resourceIssues } from '../../src-main/core/registry/resource-issues';
import { scanMarked } from '../../src-main/core/process/environ-scan';
import { OWNER_VARIABLE } from '../../src-main/core/process/managed-processes';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { homeCgroup } from '../../src-main/core/process/service-cgroup';
import { stateDirs } from '../../src-main/core/state/state-store';
import { tempDir } from '../support/cli-run';
import { alive, freePort, harness, harnesses, waitFor } from '../support/engine-harness';
import { missingServers as missing, nginxService, parentOf, redisService, serverService as service } from '../support/real-servers';

afterAll(() => {
  delete process.env['PROVISIONING_PROCESS_TRACKING'];
});

const { track } = harnesses();
if (missing.length > 0 && process.env['CI'] === 'true') throw new Error(`missing ${missing.join(', ')}: run npm run infra`);
if (missing.length > 0) console.warn(`real-servers-tree-tracking: skipped, ${missing.join(', ')} not installed (npm run infra installs them)`);

/**
 * The test's own view of one server (other test files run servers beside it): the live processes of
 * its binary whose command line (their process title) names `tag` — nginx's master shows its
 * prefix, redis its port — and their children (nginx's workers).
 */
function serverPids(exe: string, tag: string): number[] {
  const ofBinary = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => exeOf(pid) === exe);
  const roots = ofBinary.filter((pid) => cmdlineOf(pid).includes(tag));
  return ofBinary.filter((pid) => roots.includes(pid) || roots.includes(parentOf(pid) ?? 0));
}
function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}
/** Resident set in bytes (/proc/<pid>/statm, second field, in pages). */
const rssOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * 4096;
const cmdlineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};
/** The pids a home's tree records name: what an owner that crashed would leave for the next. */
const recorded = (home: string): number[] =>
  readdirSync(stateDirs(home).pids)
    .filter((n) => n.endsWith('.tree'))
    .flatMap((n) => (JSON.parse(readFileSync(join(stateDirs(home).pids, n), 'utf8')) as { members: { pid: number }[] }).members.map((m) => m.pid));

/** Waits until the home's tree records name every pid; says which are missing (and what they are) if they never are. */
async function untilRecorded(home: string, pids: number[]): Promise<void> {
  await waitFor(() => pids.every((pid) => recorded(home).includes(pid))).catch(() => {
    const stat = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
    throw new Error(
      `not recorded: ${pids
        .filter((pid) => !recorded(home).includes(pid))
        .map(stat)
        .join('; ')} (recorded ${recorded(home).join(', ')})`,
    );
  });
}

describe.skipIf(missing.length > 0)('self-daemonizing servers tracked by their process trees (no cgroup)', () => {
  it('the fallback is in use and says why', () => {
    expect(processTracking()).toEqual({ mechanism: 'process-trees', detail: 'no cgroup: PROVISIONING_PROCESS_TRACKING=tree forces process-tree tracking' });
  });

  it('a memory limit it cannot enforce without a cgroup is a located validation warning and an owner warning at start, never silently ignored', async () => {
    const text = service('capped', '/bin/sleep', ['1000'], await freePort()).replace(
      '[services.capped.deployment]',
      'resources = { memory = "64Mi" }\n[services.capped.deployment]',
    );
    const { registry, issues } = parseRegistry(text, 'capped.toml', resourceIssues);
    expect(registry).toBeDefined();
    expect(
      issues.filter((i) => i.path[2] === 'resources').map((i) => `${i.severity} ${i.file}:${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`),
    ).toEqual([
      expect.stringMatching(
        /^warning capped\.toml:2:\d+ services\.capped\.resources\.memory: cannot be enforced on this machine: no cgroup \(PROVISIONING_PROCESS_TRACKING=tree/,
      ),
    ]);
    const h = await harness(text);
    track(h);
    await h.engine.start('capped');
    expect(h.engine.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\.capped\.resources\.memory cannot be enforced on this machine: .*capped runs without this limit$/),
      ]),
    );
    await h.engine.stop('capped');
  });

  for (const kind of ['nginx', 'redis'] as const) {
    it(`${kind}: daemonized with its environment rewritten, adopted after a reopen with the same pids, stopped with nothing left`, async () => {
      const port = await freePort();
      const dir = tempDir(`pcc-tree-${kind}-`);
      const text = kind === 'nginx' ? nginxService('web', port, dir) : redisService('web', port, dir);
      const exe = realpathSync(kind === 'nginx' ? '/usr/sbin/nginx' : '/usr/bin/redis-server');
      const first = await harness(text);
      expect(homeCgroup(first.home)).toBeUndefined();
      expect((await first.engine.start('web')).state).toBe('healthy');
      const pids = await waitFor(() => {
        const found = serverPids(exe, kind === 'nginx' ? dir : `:${port}`);
        return found.length >= (kind === 'nginx' ? 3 : 1) && found.every((pid) => parentOf(pid) !== process.pid) && found;
      });
      // Left their group, shed their markers: neither would find the daemon.
      const marked = scanMarked(`${OWNER_VARIABLE}=${first.home}`).map((p) => p.pid);
      expect(pids.filter((pid) => !marked.includes(pid)).length).toBeGreaterThan(0);
      // What a crashed owner leaves behind names every one of them.
      await untilRecorded(first.home, pids);
      // Its usage is its whole recorded tree's: nginx's master and workers together weigh more than any one of them.
      const usage = await waitFor(() => first.engine.status().find((s) => s.name === 'web')?.usage);
      expect(usage.memoryBytes).toBeGreaterThan(kind === 'nginx' ? Math.max(...pids.map(rssOf)) : 0);
      expect(first.engine.status().find((s) => s.name === 'web')?.state).toBe('healthy');
      await first.engine.close();

      const second = track(await first.reopen());
      const adopted = second.engine.status().find((s) => s.name === 'web')!;
      expect(adopted.state).toBe('healthy');
      expect(pids).toContain(adopted.pid);
      expect(pids.filter(alive).sort()).toEqual([...pids].sort());

      expect((await second.engine.stop('web')).state).toBe('stopped');
      expect(pids.filter(alive)).toEqual([]);
      expect(recorded(second.home)).toEqual([]);
    });
  }

  it('nginx removed from the registry while it runs, its environ rewritten: listed external, stopped by name', async () => {
    const port = await freePort();
    const dir = tempDir('pcc-tree-nginx-');
    const first = await harness(nginxService('edge', port, dir));
    expect((await first.engine.start('edge')).state).toBe('healthy');
    const pids = await waitFor(() => {
      const found = serverPids(realpathSync('/usr/sbin/nginx'), dir);
      return found.length >= 3 && found.every((pid) => parentOf(pid) !== process.pid) && found;
    });
    await untilRecorded(first.home, pids);
    await first.engine.close();

    const second = track(await harness(service('other', '/bin/sleep', ['1000'], await freePort()), first.home));
    expect(second.engine.status().find((s) => s.name === 'edge')).toMatchObject({ state: 'external' });
    expect((await second.engine.stop('edge')).state).toBe('stopped');
    expect(pids.filter(alive)).toEqual([]);
    expect(recorded(second.home)).toEqual([]);
  });
});
