/**
 * Debian's nginx and redis-server as binary services for tests (installed by `npm run infra`:
 * scripts/infra/servers.sh), and the test's own view of a service's process tree (its cgroups).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupPids, homeCgroup } from '../../src-main/core/process/service-cgroup';

export const NGINX = '/usr/sbin/nginx';
export const REDIS = '/usr/bin/redis-server';
/** The servers this machine lacks (tests skip, or fail in CI). */
export const missingServers = [NGINX, REDIS].filter((path) => !existsSync(path));

/**
 * nginx with a master and two workers, its pid file in its prefix: a forking daemon by default
 * (named by `pid_file`), or in the foreground with `daemon off;`.
 */
export function nginxService(name: string, port: number, prefix: string, { foreground = false } = {}): string {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      ...(foreground ? ['daemon off;'] : []),
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
  const pidFile = foreground ? '' : `pid_file = ${JSON.stringify(join(prefix, 'nginx.pid'))}`;
  return serverService(name, NGINX, ['-c', join(prefix, 'nginx.conf'), '-p', prefix], port, pidFile);
}

/** `redis-server --daemonize yes`: its launcher exits 0 once the daemon runs. */
export function redisService(name: string, port: number, dir: string): string {
  return serverService(name, REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--save', '', '--logfile', ''], port);
}

/** A binary service checked by a TCP connect to its port, never restarted. */
export function serverService(name: string, command: string, args: string[], port: number, extra = ''): string {
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

/** Every pid of a service's tree, read from its cgroups (the test's own view, not the engine's). */
export function cgroupTree(home: string, name: string): number[] {
  const root = homeCgroup(home);
  if (!root) return [];
  const dir = join(root, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupPids(join(dir, e.name)) ?? []);
}

/** The parent pid (/proc/<pid>/stat field 4): a daemon's launcher was the manager's child; once it exited, no member is. */
export function parentOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
