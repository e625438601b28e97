/**
 * The CLI and the daemon as real processes, killed with SIGKILL at bad moments: every service is
 * found again, exactly once, and nothing is left behind.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { OwnerClient } from '../../src-main/daemon/owner-client';
import { listenerAt, ownerLockPath } from '../../src-main/daemon/owner-lock';
import { alive, DEMO, nodeService, waitFor } from '../support/engine-harness';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { privateHomes, type CliProcessResult, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';

const registry = nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web', '--log-every', '100ms']);
const homes = privateHomes(registry);
const home = () => homes.create();
afterEach(async () => {
  await homes.cleanup();
});

const status = async (h: Home) => JSON.parse((await h.run(['services', 'status', 'web', '--json'])).stdout) as { state: string; pid?: number; reason: string };
const ownerPid = async (h: Home) => {
  const client = await OwnerClient.connect(daemonSocketPath(h.home)).catch(() => undefined);
  if (!client) return undefined;
  try {
    return (await client.call('hello')).pid;
  } finally {
    client.close();
  }
};
/** The program a process runs now (a launcher's shell until it execs the command). */
const program = (pid: number) => {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('daemon and CLI faults', () => {
  it('starts, reports and stops through an on-demand daemon', async () => {
    const h = home();
    const started = await h.run(['services', 'start', 'web']);
    expect(started).toMatchObject({ code: 0, stdout: expect.stringMatching(/\nweb healthy · running \(pid \d+\)\n$/) });
    const running = await status(h);
    expect(running.state).toBe('healthy');
    expect((running as unknown as { history: unknown[] }).history).toEqual([]); // no health check: no history
    expect(h.processes('web')).toEqual([running.pid]);
    expect(await h.daemonPid()).toBeGreaterThan(0);
    const stopped = await h.run(['services', 'stop', 'web']);
    expect(stopped).toMatchObject({ code: 0, stdout: 'web stopped · stopped by user\n' });
    expect(alive(running.pid!)).toBe(false);
  });

  it('adopts every running service exactly once after the daemon is killed with SIGKILL', async () => {
    const h = home();
    await h.run(['services', 'start', 'web']);
    const before = await status(h);
    process.kill((await h.daemonPid())!, 'SIGKILL');
    const after = await status(h);
    expect(after).toMatchObject({ state: 'healthy', pid: before.pid, reason: `adopted (pid ${before.pid})` });
    expect(h.processes('web')).toEqual([before.pid]);
  });

  it('keeps exactly one instance when the daemon is killed while a start is in progress', async () => {
    // Not ready until the test says so: the kill lands while the start waits, however slow the machine.
    const ready = join(tempDir('pcc-ready-'), 'ready');
    const h = homes.create(`${registry}[services.web.health_check]\ntype = "file"\ninterval = "100ms"\nfile = { path = ${JSON.stringify(ready)} }\n`);
    await h.run(['daemon', 'status']);
    const starting = h.run(['services', 'start', 'web']);
    const daemon = await waitFor(() => ownerPid(h));
    // Its command running (not the launcher still waiting for its cgroup): what the next owner adopts.
    const pid = await waitFor(() => h.processes('web').find((p) => program(p) === realpathSync(process.execPath)));
    process.kill(daemon, 'SIGKILL');
    expect((await starting).code).toBe(1);
    writeFileSync(ready, 'yes');
    const again = await h.run(['services', 'start', 'web']);
    expect(again.code).toBe(0);
    expect(h.processes('web')).toEqual([pid]);
  });

  it('finishes a start that the daemon was killed in before its command ran, ending the pre_start it left running', async () => {
    // Its pre_start waits for the test, saying its pid: the kill lands before anything of the service is spawned.
    const folder = tempDir('pcc-hold-');
    const [holding, go] = [join(folder, 'holding'), join(folder, 'go')];
    const hook = `echo $$ >> ${holding}; while [ ! -e ${go} ]; do sleep 0.05; done`;
    const h = homes.create(
      registry.replace('[services.web.deployment]', () => `[services.web.startup]\npre_start = ${JSON.stringify(hook)}\n[services.web.deployment]`),
    );
    const hooks = () => (existsSync(holding) ? readFileSync(holding, 'utf8').trim().split('\n').map(Number) : []);
    const starting = h.run(['services', 'start', 'web']);
    const daemon = await waitFor(() => ownerPid(h));
    const [orphan] = await waitFor(() => (hooks().length > 0 ? hooks() : undefined));
    process.kill(daemon, 'SIGKILL');
    expect((await starting).code).toBe(1);
    expect(h.processes('web')).toEqual([]);
    expect(alive(orphan!)).toBe(true);
    // The next owner ends the orphaned hook and makes the start it was asked for, its pre_start anew.
    expect((await status(h)).state).toMatch(/^(blocked|starting)$/);
    await waitFor(() => !alive(orphan!) && hooks().length === 2);
    writeFileSync(go, '');
    const running = await waitFor(async () => {
      const now = await status(h);
      return now.state === 'healthy' ? now : undefined;
    });
    expect(running.reason).toMatch(/^running \(pid \d+\)$/);
    expect(h.processes('web')).toEqual([running.pid]);
    const log = await h.run(['services', 'logs', 'web', '--json']);
    expect(log.stdout).toContain('was starting, or due to restart, when the previous manager stopped');
  });

  it('survives the CLI being killed with SIGKILL at random moments of a start (20 trials)', async () => {
    const h = home();
    const outcomes = { killedBeforeStart: 0, killedDuringStart: 0 };
    for (let trial = 0; trial < 20; trial++) {
      const cli = h.spawn(['services', 'start', 'web']);
      await sleep(Math.random() * 600);
      cli.kill('SIGKILL');
      outcomes[h.processes('web').length > 0 ? 'killedDuringStart' : 'killedBeforeStart']++;
      const again = await h.run(['services', 'start', 'web']);
      expect(again.code, again.stderr).toBe(0);
      expect(h.processes('web')).toHaveLength(1);
      expect((await status(h)).state).toBe('healthy');
      expect((await h.run(['services', 'stop', 'web'])).code).toBe(0);
      expect(h.processes('web')).toEqual([]);
    }
    expect(outcomes.killedBeforeStart + outcomes.killedDuringStart).toBe(20);
  }, 240_000);

  it('makes one process out of ten concurrent `services start` from separate CLIs', async () => {
    const h = home();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.run(['services', 'start', 'web'])));
    expect(results.map((r) => r.code)).toEqual(Array(10).fill(0));
    expect(h.processes('web')).toHaveLength(1);
    await sleep(300);
    expect(h.processes('web')).toHaveLength(1);
  });
});

describe('event stream over the local socket', () => {
  it('pushes every state transition to a subscriber, in order', async () => {
    const h = home();
    await h.run(['daemon', 'status']);
    const starting = h.run(['services', 'start', 'web']);
    await waitFor(() => h.daemonPid());
    await starting;
    const client = await OwnerClient.connect(daemonSocketPath(h.home));
    const seen: string[] = [];
    client.onEvent((event) => seen.push(`${event.status.name} ${event.status.state}`));
    await client.call('subscribe');
    await client.call('restart', { name: 'web' });
    client.close();
    expect(seen).toEqual(['web stopping', 'web stopped', 'web starting', 'web healthy']);
  });
});

describe('the daemon', () => {
  it('stays while a restart is scheduled, so restart policies outlive the CLI', async () => {
    // Nothing runs during the 6 s backoff, longer than the daemon's 5 s idle limit.
    const crashy = nodeService('crashy', ['-e', 'setTimeout(() => process.exit(1), 600)'], '', 'restart_delay = "6s"\nrestart_delay_max = "6s"');
    const h = homes.create(crashy);
    await h.run(['services', 'start', 'crashy']);
    const daemon = await h.daemonPid();
    await waitFor(() => h.processes('crashy').length === 0);
    await sleep(6_500);
    expect(alive(daemon!)).toBe(true);
    const state = JSON.parse((await h.run(['services', 'status', 'crashy', '--json'])).stdout) as { restarts: number };
    expect(state.restarts).toBe(1);
  }, 60_000);

  it('says plainly what it cannot do', async () => {
    const h = homes.create(registry);
    expect(await h.run(['services', 'start', 'nope'])).toMatchObject({ code: 1, stderr: "provisioning: unknown service 'nope'\n" });
  });
});

describe('daemon stop', () => {
  it('says stopped only once the owner has let the lock go', async () => {
    const h = home();
    const preload = join(tempDir('pcc-preload-'), 'slow-release.cjs');
    // The owner takes 2 s to let go after answering `shutdown`, as a slow engine.close would.
    writeFileSync(
      preload,
      "const fs = require('node:fs'); const unlink = fs.unlinkSync; fs.unlinkSync = (path) => { if (String(path).endsWith('/lock.sock')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000); return unlink(path); };\n",
    );
    const env = { ...process.env, PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1', NODE_OPTIONS: `--require ${preload}` };
    const run = (args: string[]) =>
      new Promise<CliProcessResult>((resolve) =>
        execFile(process.execPath, [join(process.cwd(), 'bin', 'provisioning.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        ),
      );
    expect((await run(['services', 'status'])).code).toBe(0);
    const stopped = await run(['daemon', 'stop']);
    expect(stopped.stdout).toMatch(/^daemon \(pid \d+\) stopped/);
    // Before: "stopped" came with the answer to `shutdown`, while the lock was still held.
    expect(await listenerAt(ownerLockPath(join(h.home, 'services')))).not.toBe('alive');
  }, 30_000);
});

describe('a home on a full disk', () => {
  it('still gets an owner, and a SIGKILLed one is taken over', async () => {
    const mount = tempDir('pcc-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mount]);
    const h = homes.create();
    const env = { ...process.env, PROVISIONING_HOME: mount, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1' };
    const run = (args: string[]) =>
      new Promise<CliProcessResult>((resolve) =>
        execFile(process.execPath, [join(process.cwd(), 'bin', 'provisioning.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        ),
      );
    try {
      // Filled before any owner runs: every block of it is taken.
      expect(() => execFileSync('dd', ['if=/dev/zero', `of=${join(mount, 'fill')}`, 'bs=64k'], { stdio: 'ignore' })).toThrow();
      // Before: the owner died writing owner.pid (ENOSPC), and a daemon whose log could take no line died of that.
      const started = await run(['services', 'start', 'web']);
      expect(started, started.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^web healthy/m) });
      const daemon = (JSON.parse((await run(['daemon', 'status', '--json'])).stdout) as { pid: number }).pid;
      process.kill(daemon, 'SIGKILL');
      await waitFor(() => !alive(daemon));
      // A stale lock's takeover claim needs no data block (before: writing it threw ENOSPC).
      const status = await run(['services', 'status', 'web', '--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^adopted/) });
    } finally {
      await run(['daemon', 'stop']);
      for (const p of managedProcesses(mount)) process.kill(p.pid, 'SIGKILL');
      execFileSync('umount', ['-l', mount]);
    }
  }, 40_000);
});

describe('logs across daemon crashes', () => {
  it('keeps every line exactly once while the daemon is killed with SIGKILL again and again', async () => {
    const total = 40_000;
    const h = homes.create(nodeService('writer', [join(process.cwd(), 'test', 'fixtures', 'numbered-writer.mjs'), String(total), String(1024 * 1024), 'stay']));
    await h.run(['services', 'start', 'writer']);
    for (let kill = 0; kill < 6; kill++) {
      await sleep(200 + Math.random() * 400);
      const pid = await h.daemonPid();
      if (pid) process.kill(pid, 'SIGKILL');
      await h.run(['services', 'status']);
    }
    const logged = async () => {
      const { stdout } = await h.run(['services', 'logs', 'writer', '--lines', String(total * 2), '--json']);
      return stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { stream: string; text: string })
        .filter((line) => line.stream === 'out')
        .map((line) => Number(line.text.split(' ')[1]));
    };
    await waitFor(async () => (await logged()).at(-1) === total, 30_000);
    await sleep(500);
    const numbers = await logged();
    expect(h.processes('writer')).toHaveLength(1);
    expect(numbers).toHaveLength(total);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
  }, 180_000);
});
