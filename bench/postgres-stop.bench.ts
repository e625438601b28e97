/**
 * Stopping Debian's postgres 15 with a psql session open, as `user = "postgres"`: our stop with
 * `stop_signal = "INT"` (fast shutdown) against postgres's own `pg_ctl stop -m fast` in the same
 * run (the reference), and our stop with the default SIGTERM. SIGTERM alone would be a smart
 * shutdown, which waits for the session until `stop_timeout` and its SIGKILL; but each backend
 * leads a session of its own (postgres calls setsid in every child) and our stop signals every
 * member that leads a group, so SIGTERM also ends the session's backend (as pg_terminate_backend
 * does) and the shutdown is clean. INT is still what postgres documents for a fast shutdown. Each
 * trial opens a fresh session; medians of TRIALS. Needs root and `npm run infra`.
 * `npm run bench:postgres`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegistry } from '@shared/model';
import { createEngine } from '../src-main/core/engine';
import { tempDir } from '../test/support/cli-run';
import { freePort } from '../test/support/engine-harness';
import { initCluster, openSession, PG_BIN, postgresService } from '../test/support/postgres';
import { ms, printTable } from './measure';

const TRIALS = 5;
const TERM_TIMEOUT = '3s';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Trials {
  readonly stopMs: number[];
  /** Stops that ended in SIGKILL, and starts after them that needed crash recovery. */
  forced: number;
  recovered: number;
}

/** Our stop of `db` with `stopSignal`, TRIALS times, a session open each time. */
async function ours(stopSignal: string): Promise<Trials> {
  const { data, sockets } = initCluster();
  const port = await freePort();
  const { registry } = parseRegistry(postgresService(port, data, sockets, { stopSignal, stopTimeout: TERM_TIMEOUT }), 'bench.toml');
  const home = tempDir('pcc-bench-pg-');
  const engine = await createEngine({ home, registry: registry!, registryDir: home, env: process.env, clientEnv: process.env });
  const trials: Trials = { stopMs: [], forced: 0, recovered: 0 };
  const log = () => readFileSync(join(home, 'services', 'logs', 'db.stderr'), 'utf8');
  try {
    for (let i = 0; i < TRIALS; i++) {
      const before = safe(log).length;
      if ((await engine.start('db')).state !== 'healthy') throw new Error(`postgres did not start: ${safe(log).slice(-500)}`);
      if (safe(log).slice(before).includes('redo starts')) trials.recovered++;
      const session = await openSession(sockets, port);
      const began = performance.now();
      const stopped = await engine.stop('db');
      trials.stopMs.push(performance.now() - began);
      if (stopped.reason?.includes('killed')) trials.forced++;
      session.kill();
    }
  } finally {
    await engine.close();
  }
  return trials;
}

const safe = (read: () => string): string => {
  try {
    return read();
  } catch {
    return '';
  }
};

/** postgres's own tooling: `pg_ctl start`, a session, `pg_ctl stop -m fast` timed (both as postgres). */
async function pgCtl(): Promise<Trials> {
  const { data, sockets } = initCluster();
  const port = await freePort();
  const asPostgres = (...args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', data, ...args], { stdio: 'ignore' });
  const trials: Trials = { stopMs: [], forced: 0, recovered: 0 };
  for (let i = 0; i < TRIALS; i++) {
    asPostgres('-o', `-k ${sockets} -p ${port} -c listen_addresses=127.0.0.1`, '-l', join(sockets, 'pg.log'), '-w', 'start');
    const session = await openSession(sockets, port);
    const began = performance.now();
    asPostgres('-m', 'fast', '-w', 'stop');
    trials.stopMs.push(performance.now() - began);
    session.kill();
  }
  return trials;
}

const reference = await pgCtl();
const int = await ours('INT');
const term = await ours('TERM');
const base = median(reference.stopMs);
const row = (name: string, t: Trials) => [
  name,
  ms(median(t.stopMs)),
  `${(median(t.stopMs) / base).toFixed(2)} ×`,
  `${t.forced}/${TRIALS}`,
  `${t.recovered}/${TRIALS}`,
];
console.log(`postgres 15 stop with a psql session open, median of ${TRIALS} (ratio against pg_ctl stop -m fast in this run)`);
printTable(
  ['stop', 'median', 'vs pg_ctl', 'SIGKILLed', 'next start recovered'],
  [row('pg_ctl stop -m fast (reference)', reference), row('ours, stop_signal = "INT"', int), row(`ours, default TERM (stop_timeout ${TERM_TIMEOUT})`, term)],
);
