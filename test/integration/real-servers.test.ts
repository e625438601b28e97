/**
 * Debian's own self-daemonizing servers (installed by `npm run infra`: scripts/infra/servers.sh) under
 * the binary driver: nginx without `daemon off;` (master + workers, environ rewritten for their
 * titles) and `redis-server --daemonize yes`. Their launchers exit 0 while the daemon runs on: the
 * service's cgroup holds the whole tree, so it is started, adopted, stopped and, once removed from
 * the registry, still found (as `external`) and stopped by name.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanMarked } from '../../src-main/core/process/environ-scan';
import { OWNER_VARIABLE } from '../../src-main/core/process/managed-processes';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { cgroupPids, homeCgroup } from '../../src-main/core/process/service-cgroup';
import { tempDir } from '../support/cli-run';
import { alive, freePort, harness, harnesses, waitFor } from '../support/engine-harness';

const { track } = harnesses();
const NGINX = '/usr/sbin/nginx';
const REDIS = '/usr/bin/redis-server';
const missing = [NGINX, REDIS].filter((path) => !existsSync(path));
const cgroup = processTracking().mechanism === 'cgroup';
if (missing.length > 0 && process.env['CI'] === 'true') throw new Error(`missing ${missing.join(', ')}: run npm run infra`);
if (missing.length > 0) console.warn(`real-servers: skipped, ${missing.join(', ')} not installed (npm run infra installs them)`);
if (!cgroup) console.warn(`real-servers: skipped, no cgroup here: ${processTracking().detail}`);

/** nginx as a forking daemon: a master and two workers, its pid file in its prefix. */
function nginxService(name: string, port: number, prefix: string): string {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'worker_processes 2;',
      `pid ${join(prefix, 'nginx.pid')};`,
      'error_log /dev/stderr notice;',
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${prefix}/tmp; proxy_temp_path ${prefix}/tmp; fastcgi_temp_path ${prefix}/tmp; uwsgi_temp_path ${prefix}/tmp; scgi_temp_path ${prefix}/tmp;`,
      `  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
      '}',
      '',
    ].join('\n'),
  );
  return service(name, NGINX, ['-c', join(prefix, 'nginx.conf'), '-p', prefix], port, `pid_file = ${JSON.stringify(join(prefix, 'nginx.pid'))}`);
}

function redisService(name: string, port: number, dir: string): string {
  return service(name, REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--save', '', '--logfile', ''], port);
}

function service(name: string, command: string, args: string[], port: number, extra = ''): string {
  return [
    `[services.${name}]`,
    `[services.${name}.deployment]`,
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(command)}, args = ${JSON.stringify(args)}${extra ? `, ${extra}` : ''} }`,
    `[services.${name}.health_check]`,
    'type = "tcp"',
    'interval = "200ms"',
    `tcp = { host = "127.0.0.1", port = ${port} }`,
    `[services.${name}.startup]`,
    'restart = "no"',
    '',
  ].join('\n');
}

/** Every pid of a service's tree, read from its cgroup (the test's own view, not the engine's). */
function tree(home: string, name: string): number[] {
  const root = homeCgroup(home)!;
  const dir = join(root, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupPids(join(dir, e.name)) ?? []);
}

/** The parent pid (/proc/<pid>/stat field 4): a daemon's launcher was our child; once it exited, no member is. */
function parentOf(pid: number): number | undefined {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
}

describe.skipIf(missing.length > 0 || !cgroup)('self-daemonizing servers in a cgroup', () => {
  for (const kind of ['nginx', 'redis'] as const) {
    it(`${kind}: its launcher exits 0, the daemon is the service: healthy, adopted with the same pids, stopped with nothing left`, async () => {
      const port = await freePort();
      const dir = tempDir(`pcc-${kind}-`);
      const text = kind === 'nginx' ? nginxService('web', port, dir) : redisService('web', port, dir);
      const first = await harness(text);
      const started = await first.engine.start('web');
      expect(started.state).toBe('healthy');
      const pids = await waitFor(() => {
        const found = tree(first.home, 'web');
        return found.length >= (kind === 'nginx' ? 3 : 1) && found;
      });
      // The daemon runs on after its launcher exited 0 (the service names the daemon once it knows it), and the service with it.
      await waitFor(() => pids.every((pid) => parentOf(pid) !== process.pid));
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
