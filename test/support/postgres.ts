/**
 * Debian's postgres 15 for tests and benches (installed by `npm run infra`): a fresh cluster owned by
 * `postgres`, its registry entry (run as `postgres`, stopped with SIGINT unless told), and a psql
 * session that stays open — what makes a smart (SIGTERM) shutdown wait.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli-run';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PSQL = '/usr/bin/psql';

export const postgresUid = (): number => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());

/** A fresh cluster owned by postgres, in a folder it can reach. */
export function initCluster(): { data: string; sockets: string } {
  const root = tempDir('pcc-pg-');
  chmodSync(root, 0o755);
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '0700', data, sockets]);
  execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
  return { data, sockets };
}

export function postgresService(
  port: number,
  data: string,
  sockets: string,
  { user = 'user = "postgres"', stopSignal = 'INT', stopTimeout = '30s' } = {},
): string {
  const args = ['-D', data, '-k', sockets, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  return [
    '[services.db]',
    '[services.db.deployment]',
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(join(PG_BIN, 'postgres'))}, args = ${JSON.stringify(args)}, cwd = ${JSON.stringify(sockets)}, ${user} }`,
    '[services.db.health_check]',
    'type = "command"',
    'interval = "200ms"',
    `command = { command = ${JSON.stringify(join(PG_BIN, 'pg_isready'))}, args = ["-h", ${JSON.stringify(sockets)}, "-p", "${port}"] }`,
    '[services.db.startup]',
    'timeout = "60s"',
    `stop_signal = "${stopSignal}"`,
    `stop_timeout = "${stopTimeout}"`,
    '',
  ].join('\n');
}

/** A psql session that has answered a query and stays open until killed. */
export async function openSession(sockets: string, port: number): Promise<ChildProcess> {
  const session = spawn(PSQL, ['-h', sockets, '-p', String(port), '-U', 'postgres', '-X', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  session.stdin!.write('select 1;\n');
  await new Promise<void>((resolve, reject) => {
    session.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('1') && resolve());
    session.once('exit', (code) => reject(new Error(`psql exited with ${code} before answering`)));
  });
  return session;
}
