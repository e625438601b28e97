/**
 * Debian's postgres 15 as a binary service with `user = "postgres"` (set at spawn: no runuser
 * wrapper) and `stop_signal = "INT"` (fast shutdown): with a psql session open, stop ends cleanly —
 * no SIGKILL, not a failure — and the next start needs no crash recovery. Also: a service's process
 * runs as its user inside its cgroup while its log files stay the owner's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { tempDir } from '../support/cli-run';
import { alive, freePort, harnesses, waitFor } from '../support/engine-harness';

const { open } = harnesses();
const BIN = '/usr/lib/postgresql/15/bin';
const PSQL = '/usr/bin/psql';
const ready = existsSync(join(BIN, 'postgres')) && existsSync(PSQL) && process.getuid?.() === 0 && processTracking().mechanism === 'cgroup';
if (!ready && process.env['CI'] === 'true') throw new Error('postgres 15 and root with a cgroup are needed: run npm run infra');
if (!ready) console.warn('postgres-stop: skipped (needs postgresql 15 from npm run infra, root and a cgroup)');

const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());

/** A fresh cluster owned by postgres, in a folder it can reach. */
function initCluster(): { data: string; sockets: string } {
  const root = tempDir('pcc-pg-');
  chmodSync(root, 0o755);
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '0700', data, sockets]);
  execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
  return { data, sockets };
}

function postgresService(port: number, data: string, sockets: string, user = 'user = "postgres"'): string {
  const args = ['-D', data, '-k', sockets, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  return [
    '[services.db]',
    '[services.db.deployment]',
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(join(BIN, 'postgres'))}, args = ${JSON.stringify(args)}, cwd = ${JSON.stringify(sockets)}, ${user} }`,
    '[services.db.health_check]',
    'type = "command"',
    'interval = "200ms"',
    `command = { command = ${JSON.stringify(join(BIN, 'pg_isready'))}, args = ["-h", ${JSON.stringify(sockets)}, "-p", "${port}"] }`,
    '[services.db.startup]',
    'timeout = "60s"',
    'stop_signal = "INT"',
    'stop_timeout = "30s"',
    '',
  ].join('\n');
}

describe.skipIf(!ready)('postgres as user postgres, stopped with SIGINT', () => {
  it('stops cleanly with a session open (no SIGKILL, no failure), and the next start needs no crash recovery', async () => {
    const { data, sockets } = initCluster();
    const port = await freePort();
    const h = await open(postgresService(port, data, sockets));
    const started = await h.engine.start('db');
    expect(started.state).toBe('healthy');
    const status = readFileSync(`/proc/${started.pid}/status`, 'utf8');
    expect(status).toMatch(new RegExp(`^Uid:\\t${postgresUid()}\\t${postgresUid()}\\t`, 'm'));
    expect(status).toMatch(/^Groups:[\t ]*$/m);
    expect(readFileSync(`/proc/${started.pid}/cgroup`, 'utf8')).toMatch(/^0::\/.*provisioning-[0-9a-f]+\/db\/db-/m);
    const logs = join(h.home, 'services', 'logs');
    // The service changed user; its log shim did not: what it wrote under the home is the owner's.
    await waitFor(() => existsSync(join(logs, 'db.stderr')));
    for (const file of readdirSync(logs)) expect({ file, uid: statSync(join(logs, file)).uid }).toEqual({ file, uid: process.getuid!() });
    // A session that stays open: smart shutdown (SIGTERM) would wait for it until the kill.
    const session = spawn(PSQL, ['-h', sockets, '-p', String(port), '-U', 'postgres', '-X', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
    session.stdin.write('select 1;\n');
    await waitFor(() => (session.stdout.read() as Buffer | null)?.toString().includes('1'));
    const began = Date.now();
    const stopped = await h.engine.stop('db');
    const stopMs = Date.now() - began;
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    expect(alive(started.pid!)).toBe(false);
    session.kill();
    const again = await h.engine.start('db');
    expect(again.state).toBe('healthy');
    await h.engine.stop('db');
    const log = await waitFor(() => {
      const text = readFileSync(join(logs, 'db.stderr'), 'utf8') + readFileSync(join(logs, 'db.log'), 'utf8');
      return text.includes('database system is shut down') && text;
    });
    expect(log).toContain('received fast shutdown request');
    expect(log).not.toContain('database system was not properly shut down');
    expect(log).not.toContain('redo starts');
    console.log(`postgres stop with a session open: ${stopMs} ms`);
  });
});
