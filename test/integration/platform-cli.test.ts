/** The `platform` commands and the graph-aware `services stop` / `services why`, as a user runs them (real CLI, real daemon). */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { cli, tempDir } from '../support/cli-run';
import { delayedRegistry } from '../support/delayed-services';
import { waitFor } from '../support/engine-harness';

const homes: Home[] = [];
afterEach(async () => Promise.all(homes.splice(0).map((h) => h.cleanup())));
const home = (text: string) => {
  const h = privateHome(text);
  homes.push(h);
  return h;
};
const failing = {
  root: { extra: 'auto_start = true' },
  mid: { delay: 50, deps: ['root'], fail: true },
  top: { deps: ['mid'], extra: 'auto_start = true' },
  side: { deps: ['root'], extra: 'auto_start = true' },
};

describe('platform commands', () => {
  it('platform start: a line per change, a summary naming what failed and what it blocked, exit 1', async () => {
    const h = home(delayedRegistry(failing).text);
    const { code, stdout } = await h.run(['platform', 'start']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ root starting · started by user\n/);
    expect(stdout).toContain('platform start: 2 started, 1 failed, 1 blocked in ');
    expect(stdout).toContain('✗ mid failed: exited with code 1 during startup');
    expect(stdout).toContain('✗ top blocked: waiting for mid: failed, exited with code 1 during startup');
  });

  it('platform start on a terminal: one table of the services involved, redrawn in place', async () => {
    const h = home(delayedRegistry({ db: { delay: 100 }, api: { deps: ['db'] } }).text);
    const { code, stdout } = await cli(['platform', 'start', 'api'], {
      env: { PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1' },
      tty: true,
    });
    expect(code).toBe(0);
    // Each redraw goes back over the previous table (3 lines: header, db, api) and clears below it.
    expect(stdout.split('\u001b[3F\u001b[J').length).toBeGreaterThan(3);
    const final = stdout.slice(stdout.lastIndexOf('\u001b[J') + 3).split('\n');
    expect(final[0]).toMatch(/^SERVICE +STATE +FOR +WHY$/);
    expect(final[1]).toMatch(/^db +healthy /);
    expect(final[2]).toMatch(/^api +healthy /);
  });

  it('services why: the chain down to the root cause, its last words, and the last start', async () => {
    const h = home(delayedRegistry(failing).text);
    await h.run(['platform', 'start']);
    const { code, stdout } = await h.run(['services', 'why', 'top']);
    expect(code).toBe(0);
    expect(stdout).toContain('top is blocked: waiting for mid, which is failed: exited with code 1 during startup');
    expect(stdout).toContain('← needs mid is failed: exited with code 1 during startup');
    expect(stdout).toContain('root cause: mid');
    expect(stdout).toMatch(/history, not the current cause — the last platform start \(.+\):\n {2}top blocked/);
    expect(stdout).toMatch(/ {2}critical path \(.+ in all\): root .+ → /);
  });

  it('services stop refuses while dependents run; --cascade prints and stops them first; platform stop stops the rest', async () => {
    const h = home(delayedRegistry({ db: {}, api: { deps: ['db'] }, web: { deps: ['api'] } }).text);
    expect((await h.run(['platform', 'start', 'web'])).code).toBe(0);
    const refused = await h.run(['services', 'stop', 'db']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('provisioning: cannot stop db: web, api need it and are running; --cascade stops them first, --force stops db anyway\n');
    expect(h.processes('db')).not.toEqual([]);
    const cascade = await h.run(['services', 'stop', 'api', '--cascade']);
    expect(cascade.code).toBe(0);
    expect(cascade.stdout.split('\n')[0]).toBe('stopping web → api');
    expect(cascade.stdout).toContain('platform stop: 2 stopped in');
    expect([...h.processes('web'), ...h.processes('api')]).toEqual([]);
    const status = await h.run(['platform', 'status']);
    expect(status.stdout).toMatch(/web stopped\n└── api stopped\n {4}└── db healthy/);
    expect((await h.run(['platform', 'stop'])).stdout).toContain('platform stop: 1 stopped, 2 not running');
  });

  it('platform restart: stops what needs the named service first, then starts again what ran', async () => {
    const h = home(delayedRegistry({ db: {}, api: { deps: ['db'] }, web: { deps: ['api'] }, other: {} }).text);
    await h.run(['platform', 'start', 'web', 'other']);
    const before = ['db', 'api', 'web', 'other'].map((name) => h.processes(name)[0]);
    const { code, stdout } = await h.run(['platform', 'restart', 'api']);
    expect(code).toBe(0);
    expect(stdout).toContain('platform stop: 2 stopped in');
    expect(stdout).toContain('platform start: 2 started, 1 already running in');
    const after = ['db', 'api', 'web', 'other'].map((name) => h.processes(name)[0]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
    expect(after[3]).toBe(before[3]);
  });

  it('Ctrl-C during platform start launches nothing more, lets the start under way finish, and exits 130', async () => {
    const h = home(delayedRegistry({ slow: { delay: 1500 }, next: { deps: ['slow'] } }).text);
    const cli = h.spawnPiped(['platform', 'start', 'next']);
    await waitFor(() => cli.stdout().includes('slow starting'));
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    expect(code).toBe(130);
    expect(cli.stderr()).toContain('cancelling: nothing more starts');
    expect(cli.stdout()).toMatch(/platform start: 1 started, 1 not started \(cancelled\)/);
    expect(h.processes('slow')).toHaveLength(1);
    expect(h.processes('next')).toEqual([]);
  });

  it('platform logs: every service merged by time, each line prefixed with its service', async () => {
    const h = home(delayedRegistry({ db: {}, api: { deps: ['db'] } }).text);
    await h.run(['platform', 'start', 'api']);
    const { stdout } = await h.run(['platform', 'logs']);
    const lines = stdout.trim().split('\n');
    expect(lines.some((l) => l.startsWith('db  │ ') && l.includes('── healthy'))).toBe(true);
    expect(lines.some((l) => l.startsWith('api │ ') && l.includes('── healthy'))).toBe(true);
    const times = lines.map((l) => /\d{4}-\d\d-\d\dT\S+/.exec(l)![0]);
    expect(times).toEqual([...times].sort());
    const only = await h.run(['platform', 'logs', 'api']);
    expect(only.stdout).not.toContain('db');
  });

  it('platform update restarts only what changed, stops what was removed, and refuses an invalid registry changing nothing', async () => {
    const dir = tempDir('pcc-delayed-');
    const before = delayedRegistry({ db: {}, api: { deps: ['db'] }, old: {} }, dir);
    const h = home(before.text);
    await h.run(['platform', 'start', 'api', 'old']);
    const [db, api] = [h.processes('db'), h.processes('api')];
    writeFileSync(h.registry, `${before.text}\n[services.db.startup.broken]\n`);
    const invalid = await h.run(['platform', 'update']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/services\.toml:\d+:1 services\.db\.startup\.broken: unknown key\n/);
    expect([h.processes('db'), h.processes('api')]).toEqual([db, api]);

    const after = delayedRegistry({ db: {}, api: { deps: ['db'], delay: 10 }, fresh: {} }, dir);
    writeFileSync(h.registry, after.text);
    const { code, stdout } = await h.run(['platform', 'update']);
    expect(code).toBe(0);
    expect(stdout).toContain('added    fresh (not started');
    expect(stdout).toContain('removed  old');
    expect(stdout).toContain('changed  api\n');
    expect(stdout).not.toContain('db stopped');
    expect(h.processes('db')).toEqual(db);
    expect(h.processes('api')).not.toEqual(api);
    expect(h.processes('api')).toHaveLength(1);
    expect(h.processes('old')).toEqual([]);
    expect(h.processes('fresh')).toEqual([]);
  });
});
