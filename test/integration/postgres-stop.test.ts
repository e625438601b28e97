/**
 * Debian's postgres 15 as a binary service with `user = "postgres"` (set at spawn: no runuser
 * wrapper) and `stop_signal = "INT"` (fast shutdown): with a psql session open, stop ends cleanly —
 * no SIGKILL, not a failure — and the next start needs no crash recovery. Also: a service's process
 * runs as its user inside its cgroup while its log files stay the owner's.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processTracking } from '../../src-main/core/process/cgroup-layout';
import { alive, freePort, harnesses, waitFor } from '../support/engine-harness';
import { initCluster, openSession, PG_BIN, postgresService, postgresUid, PSQL } from '../support/postgres';

const { open } = harnesses();
const ready = existsSync(join(PG_BIN, 'postgres')) && existsSync(PSQL) && process.getuid?.() === 0 && processTracking().mechanism === 'cgroup';
if (!ready && process.env['CI'] === 'true') throw new Error('postgres 15 and root with a cgroup are needed: run npm run infra');
if (!ready) console.warn('postgres-stop: skipped (needs postgresql 15 from npm run infra, root and a cgroup)');

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
    const session = await openSession(sockets, port);
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
