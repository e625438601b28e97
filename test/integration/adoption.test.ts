/** A new manager finds what an earlier one started: adoption, corrupt state, reused pids, duplicates. */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { markers } from '../../src-main/core/process/managed-processes';
import { alive, DEMO, FIXTURES, harness, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { track } = harnesses();

const text = [
  nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web'], '', 'restart = "no"'),
  nodeService('api', [join(DEMO, 'service.mjs'), '--name', 'api']),
].join('\n');

describe('adoption', () => {
  it('adopts a running service exactly once after the manager goes away', async () => {
    const first = await harness(text);
    const started = await first.engine.start('web');
    await first.engine.close();
    const second = track(await first.reopen());
    expect(second.engine.status().find((s) => s.name === 'web')).toMatchObject({ state: 'healthy', reason: `adopted (pid ${started.pid})` });
    expect(second.processes('web')).toEqual([started.pid]);
    expect((await second.engine.start('web')).pid).toBe(started.pid);
    expect(second.processes('web')).toEqual([started.pid]);
  });

  it('recovers from a corrupt state file with a warning, finding the process by its markers', async () => {
    const first = await harness(text);
    const web = await first.engine.start('web');
    const api = await first.engine.start('api');
    await first.engine.close();
    writeFileSync(join(first.home, 'services', 'state', 'web.json'), '{"name": "web", "desi');
    const second = track(await first.reopen());
    expect(second.engine.warnings).toEqual([expect.stringMatching(/^state of 'web' was unreadable and was moved to .*web\.json\.corrupt-\d+-\d+/)]);
    const status = Object.fromEntries(second.engine.status().map((s) => [s.name, s]));
    expect(status['web']).toMatchObject({ state: 'healthy', pid: web.pid });
    expect(status['api']).toMatchObject({ state: 'healthy', reason: `adopted (pid ${api.pid})` });
    expect(JSON.parse(readFileSync(join(first.home, 'services', 'state', 'web.json'), 'utf8')).process.pid).toBe(web.pid);
  });

  it('never signals a reused pid: the record is stale, the stranger lives', async () => {
    const first = await harness(text);
    await first.engine.close();
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    const record = {
      name: 'web',
      desired: 'running',
      restarts: 0,
      process: { instance: 'web-old', pid: stranger.pid, startTime: '1', pgid: stranger.pid, command: ['x'], configHash: 'x', startedAt: 0 },
    };
    writeFileSync(join(first.home, 'services', 'state', 'web.json'), JSON.stringify(record));
    const second = track(await first.reopen());
    expect(second.engine.status().find((s) => s.name === 'web')).toMatchObject({
      state: 'failed',
      reason: 'exited while no manager was running (code unknown)',
    });
    await second.engine.stop('web');
    expect(alive(stranger.pid!)).toBe(true);
    stranger.kill();
  });

  it('stops a duplicate instance left by a start that was interrupted', async () => {
    const first = await harness(text);
    const started = await first.engine.start('api');
    await first.engine.close();
    const duplicate = spawn(process.execPath, [join(DEMO, 'service.mjs'), '--name', 'api'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, ...markers(first.home, 'api', 'api-interrupted') },
    });
    duplicate.unref();
    const second = track(await first.reopen());
    expect(second.processes('api')).toEqual([started.pid]);
    expect(alive(duplicate.pid!)).toBe(false);
  });

  it('lists a process of a service that left the registry as external, and stops it by name', async () => {
    const first = await harness(text);
    const started = await first.engine.start('api');
    await first.engine.close();
    const second = track(await harness(nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']), first.home));
    expect(second.engine.status().find((s) => s.name === 'api')).toMatchObject({ state: 'external', pid: started.pid });
    expect(second.engine.anyActive()).toBe(true);
    expect(await second.engine.stop('api')).toMatchObject({ state: 'stopped' });
    expect(alive(started.pid!)).toBe(false);
    // Faces that listed it as external are told it is gone.
    expect(second.events.find((s) => s.name === 'api')).toMatchObject({ state: 'stopped', actions: [] });
    expect(second.engine.status().map((s) => s.name)).toEqual(['web']);
  });

  it('makes a restart that was due when the previous manager went away', async () => {
    const crashing = nodeService('crashy', ['-e', 'setTimeout(() => process.exit(1), 600)'], '', 'restart_delay = "5s"');
    const first = await harness(crashing);
    await first.engine.start('crashy');
    await waitFor(() => first.events.find((s) => s.state === 'failed' && s.nextRetryAt));
    await first.engine.close();
    const second = track(await first.reopen());
    // Not inside the new owner's opening: started once it is open, as a start whose dependencies hold.
    expect(second.engine.status()[0]).toMatchObject({ state: expect.stringMatching(/^(blocked|starting|healthy)$/) });
    await waitFor(() => second.events.find((s) => s.state === 'healthy' && /^running \(pid \d+\)$/.test(s.reason)));
    const events = (await tailLog(logFiles(join(first.home, 'services', 'logs'), 'crashy'))).filter((l) => l.stream === 'evt');
    expect(events.map((l) => l.text)).toContain(
      'blocked: was starting, or due to restart, when the previous manager stopped; starts again once its dependencies are healthy',
    );
  });
});

/** A leader that starts children: optionally one that stays in its session, then one that calls setsid (node's detached). */
const forker = (name: string, withSessionChild: boolean, startup = '') => {
  const keep = "['-e', 'setInterval(() => {}, 1000)']";
  const script = [
    "const { spawn } = require('child_process');",
    withSessionChild ? `spawn(process.execPath, ${keep}, { stdio: 'ignore' });` : '',
    `spawn(process.execPath, ${keep}, { detached: true, stdio: 'ignore' });`,
    'setInterval(() => {}, 1000);',
  ].join(' ');
  return nodeService(name, ['-e', script], '', startup);
};

/** Starts `name`, waits for its children, closes the owner without stopping, kills the leader: as an owner crash and then a leader crash. */
async function leaderDiesWhileNoOwner(text: string, name: string, processes: number) {
  const first = await harness(text);
  const leader = (await first.engine.start(name)).pid!;
  const all = await waitFor(() => first.processes(name).length === processes && first.processes(name));
  await first.engine.close();
  process.kill(leader, 'SIGKILL');
  await waitFor(() => !alive(leader));
  return { first, leader, leftovers: all.filter((pid) => pid !== leader) };
}

describe('adoption after the leader died while no owner ran', () => {
  it('never takes a descendant that called setsid for the service: it is stopped and the service restarted', async () => {
    const { first, leader, leftovers } = await leaderDiesWhileNoOwner(forker('fork', false, 'restart_delay = "1s"'), 'fork', 2);
    const second = track(await first.reopen());
    expect(leftovers.filter(alive)).toEqual([]);
    expect(second.engine.status()[0]).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^exited while no manager was running/),
      nextRetryAt: expect.any(Number),
    });
    const restarted = await waitFor(() => second.engine.status().find((s) => s.state === 'healthy'));
    expect([leader, ...leftovers]).not.toContain(restarted.pid);
    const events = (await tailLog(logFiles(join(first.home, 'services', 'logs'), 'fork'))).filter((l) => l.stream === 'evt').map((l) => l.text);
    expect(events, events.join('\n')).toContain(
      `its process (pid ${leader}) had exited while no manager ran; stopped what it left running (pid ${leftovers[0]})`,
    );
    expect(events.findIndex((t) => t.startsWith('its process'))).toBeLessThan(events.findLastIndex((t) => t.startsWith('starting')));
  });

  it('reports the service as exited when its policy makes no restart', async () => {
    const { first, leftovers } = await leaderDiesWhileNoOwner(forker('fork', false, 'restart = "no"'), 'fork', 2);
    const second = track(await first.reopen());
    expect(second.engine.status()[0]).toMatchObject({ state: 'failed', reason: 'exited while no manager was running (code unknown)' });
    expect(leftovers.filter(alive)).toEqual([]);
    expect(second.processes('fork')).toEqual([]);
  });

  it('with the state record lost too, takes no survivor of a dead leader for it (the earliest left is no session leader)', async () => {
    const { first, leftovers } = await leaderDiesWhileNoOwner(forker('fork', true, 'restart = "no"'), 'fork', 3);
    rmSync(join(first.home, 'services', 'state', 'fork.json'));
    const second = track(await first.reopen());
    expect(second.engine.status()[0]).toMatchObject({ state: 'stopped' });
    expect(leftovers.filter(alive)).toEqual([]);
  });
});

describe.skipIf(process.getuid?.() !== 0)('the birth order that recovers a lost leader', () => {
  it('holds where /proc/sys/kernel/pid_max cannot be read (a sandbox that hides /proc/sys)', () => {
    const identity = pathToFileURL(join(process.cwd(), 'src-main/core/process/process-identity.ts')).href;
    // Two processes born in one clock tick: only the pid tells their order, and that needs pid_max.
    const script = `import { compareBirth } from '${identity}'; const a = { pid: 30, startTime: '7' }, b = { pid: 31, startTime: '7' }; console.log(compareBirth(a, b) < 0, compareBirth(b, a) > 0);`;
    const hidden = 'mount -t tmpfs none /proc/sys/kernel && test ! -e /proc/sys/kernel/pid_max && exec "$0" --import tsx --input-type=module -e "$1"';
    const out = execFileSync('unshare', ['--mount', 'sh', '-c', hidden, process.execPath, script], { encoding: 'utf8' });
    expect(out.trim()).toBe('true true');
  });
});

describe('a stop while an exit is being handled', () => {
  it('wins: the service stays stopped and nothing is restarted', async () => {
    const leaver = nodeService('leaver', [join(FIXTURES, 'leaver.mjs')], '', 'restart_delay = "100ms"');
    const h = track(await harness(leaver));
    await h.engine.start('leaver');
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // its main process has exited; its child is being stopped
    expect(await h.engine.stop('leaver')).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(h.engine.status()[0]).toMatchObject({ state: 'stopped' });
    expect(h.processes('leaver')).toEqual([]);
  });
});
