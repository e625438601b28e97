/**
 * After the machine restarts, what ran comes back as it was asked for, in dependency order, and
 * nothing else. The "before" runs through the real CLI and its daemon; the machine going down is
 * what it leaves behind: the service processes killed outright, the daemon gone, and the state
 * records as written — made in a boot that is no longer this one (the record's `boot` rewritten to
 * another boot id, which is the one thing a real reboot changes that a test cannot). The new owner
 * is the engine `daemon run` runs, in-process so its every event is seen in order.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentBoot } from '../../src-main/core/process/process-identity';
import { privateHomes } from '../support/cli-process';
import { alive, freePort, harness, harnesses, nodeService, waitFor } from '../support/engine-harness';

const homes = privateHomes('');
afterEach(() => homes.cleanup());
const { track } = harnesses();

const SERVICE = join(process.cwd(), 'platform', 'demo', 'service.mjs');
const idle = ['-e', 'setInterval(() => {}, 1e9)'];

/** db serves its health endpoint only after a while, so "api waits for it" is observable; neither is ever restarted by policy. */
function registry(port: number): string {
  return [
    `${nodeService('db', [SERVICE, '--name', 'db', '--http', String(port), '--ready-after', '400ms'], '', 'restart = "no"')}[services.db.health_check]\ntype = "http"\ninterval = "100ms"\ntimeout = "100ms"\nhttp = { url = "http://127.0.0.1:${port}/health" }\n`,
    nodeService('api', idle, 'dependencies = ["db"]', 'restart = "no"'),
    // Auto-start services that were not running before: one never started, one started and stopped.
    nodeService('extra', idle, 'auto_start = true'),
    nodeService('paused', idle, 'auto_start = true'),
  ].join('\n');
}

/** Runs db <- api (and starts and stops `paused`) through the CLI, stops the daemon, kills the services: the machine going down. */
async function runThenGoDown(text: string) {
  const home = homes.create(text);
  for (const args of [
    ['services', 'start', 'api'],
    ['services', 'start', 'paused'],
    ['services', 'stop', 'paused'],
    ['daemon', 'stop'],
  ]) {
    const result = await home.run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }
  const pids = [...home.processes('db'), ...home.processes('api')];
  expect(pids.length).toBeGreaterThanOrEqual(2);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await waitFor(() => pids.every((pid) => !alive(pid)));
  return home;
}

const stateDir = (home: string) => join(home, 'services', 'state');

describe.runIf(currentBoot() !== undefined)('after a machine restart', () => {
  it('brings back exactly what ran, api only once db is healthy, whatever their restart policy; auto-start services that did not run stay stopped', async () => {
    const text = registry(await freePort());
    const home = await runThenGoDown(text);
    // The records were written in this boot; after a reboot they name another.
    const records = readdirSync(stateDir(home.home));
    for (const file of records) {
      const path = join(stateDir(home.home), file);
      const record = JSON.parse(readFileSync(path, 'utf8')) as { boot?: string };
      if (file === 'db.json' || file === 'api.json') expect(record.boot).toBe(currentBoot());
      if (record.boot) writeFileSync(path, JSON.stringify({ ...record, boot: '00000000-0000-4000-8000-000000000000' }));
    }

    const owner = track(await harness(text, home.home));
    await waitFor(() => owner.engine.status().find((s) => s.name === 'api' && s.state === 'healthy'));
    const order = owner.events.map((s) => `${s.name} ${s.state}`);
    // Both came back; api started only after db was healthy (engine event order, not time).
    expect(order.indexOf('db healthy')).toBeGreaterThan(-1);
    expect(order.indexOf('api starting')).toBeGreaterThan(order.indexOf('db healthy'));
    // Its last end is said as what it was: the machine, not a failure.
    expect(owner.engine.status().find((s) => s.name === 'api')?.lastExit?.reason).toBe('was running when the machine restarted');
    // Nothing that did not run before: neither auto-start service was started.
    expect(order.filter((event) => /^(extra|paused) /.test(event) && !event.endsWith(' stopped'))).toEqual([]);
    expect(
      owner.engine
        .status()
        .filter((s) => s.name === 'extra' || s.name === 'paused')
        .map((s) => s.state),
    ).toEqual(['stopped', 'stopped']);
    // Still wanted: a later owner (another restart) brings them back again.
    expect(JSON.parse(readFileSync(join(stateDir(home.home), 'api.json'), 'utf8'))).toMatchObject({ wanted: true, desired: 'running', boot: currentBoot() });
  });

  it('in the same boot, a service that died while no manager ran is a failure: its restart policy ("no") decides', async () => {
    const text = registry(await freePort());
    const home = await runThenGoDown(text);
    const owner = track(await harness(text, home.home));
    const db = owner.engine.status().find((s) => s.name === 'db')!;
    expect(db.state).not.toBe('blocked');
    expect(db.reason).toContain('exited while no manager was running');
    expect(owner.events.some((s) => s.state === 'starting')).toBe(false);
  });
});
