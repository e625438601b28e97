/**
 * A CLI call never waits silently: a stopped daemon is named with its pid and what to do, a daemon
 * that dies before it answers fails the call at once with the end of its log, and a home too long
 * for socket paths is refused before anything is started.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, freePort, nodeService, waitFor } from '../support/engine-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
import { privateHomes, type CliProcessResult, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';

const registry = nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']);
const homes = privateHomes(registry);
const home = () => homes.create();
const stopped: number[] = [];
afterEach(async () => {
  for (const pid of stopped.splice(0)) process.kill(pid, 'SIGCONT');
  await homes.cleanup();
});

const runWith = (h: Home, env: Record<string, string>, args: string[]) =>
  new Promise<CliProcessResult>((resolve) =>
    execFile(
      process.execPath,
      [join(process.cwd(), 'bin', 'provisioning.js'), ...args],
      { env: { ...process.env, PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    ),
  );

/** The environment of a CLI whose daemon takes the lock at once but listens on owner.sock only `ms` later. */
function slowListen(ms: number): Record<string, string> {
  const preload = join(tempDir('pcc-preload-'), 'slow.cjs');
  writeFileSync(
    preload,
    `const net = require('node:net'); const listen = net.Server.prototype.listen; net.Server.prototype.listen = function (path, ...rest) { if (typeof path === 'string' && path.endsWith('owner.sock')) { setTimeout(() => listen.call(this, path, ...rest), ${ms}); return this; } return listen.call(this, path, ...rest); };\n`,
  );
  return { NODE_OPTIONS: `--require ${preload}` };
}

describe('CLI calls to an owner that does not answer', () => {
  it('name the stopped daemon and how to resume it, for status, start and daemon status', async () => {
    const h = home();
    expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
    const daemon = (await h.daemonPid())!;
    process.kill(daemon, 'SIGSTOP');
    stopped.push(daemon);
    const quick = { PROVISIONING_ANSWER_TIMEOUT_MS: '1500' };
    // Before: each of these blocked for as long as the daemon stayed stopped.
    const results = await Promise.all(
      [
        ['services', 'status'],
        ['services', 'start', 'web'],
        ['daemon', 'status'],
      ].map((args) => runWith(h, quick, args)),
    );
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`provisioning: the daemon (pid ${daemon}) has not answered for `);
      expect(result.stderr).toContain(`\`kill -CONT ${daemon}\` resumes it`);
    }
    process.kill(daemon, 'SIGCONT');
    stopped.pop();
    const again = await h.run(['services', 'status', 'web', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(await h.daemonPid()).toBe(daemon);
  }, 40_000);
});

describe('a CLI that was itself paused', () => {
  it('asks the owner again after SIGCONT instead of failing on the silence it slept through', async () => {
    const port = await freePort();
    const slow = `${nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web', '--http', String(port), '--ready-after', '6s'])}[services.web.health_check]\ntype = "http"\ninterval = "200ms"\ntimeout = "150ms"\nhttp = { url = "http://127.0.0.1:${port}/health" }\n`;
    const h = homes.create(slow);
    const cli = spawn(process.execPath, [join(process.cwd(), 'bin', 'provisioning.js'), 'services', 'start', 'web'], {
      env: { ...process.env, PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1', PROVISIONING_ANSWER_TIMEOUT_MS: '1000' },
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));
    // The call is waiting on the owner once the service runs; the CLI then sleeps thrice its deadline.
    await waitFor(() => h.processes('web').length === 1, 10_000);
    process.kill(cli.pid!, 'SIGSTOP');
    await sleep(3_000);
    process.kill(cli.pid!, 'SIGCONT');
    // Before: its first tick saw 3 s of silence and failed "has not answered for 3s" without asking.
    expect(await exited, stderr).toBe(0);
    expect(stdout).toMatch(/^web healthy/m);
  }, 40_000);
});

describe('starting the daemon', () => {
  it('fails at once with the end of its log when the daemon is killed before it binds', async () => {
    const h = home();
    const preload = join(tempDir('pcc-preload-'), 'die.cjs');
    writeFileSync(
      preload,
      "if (process.argv.includes('daemon') && process.argv.includes('run')) { console.log('about to be killed'); process.kill(process.pid, 'SIGKILL'); }\n",
    );
    const result = await runWith(h, { NODE_OPTIONS: `--require ${preload}` }, ['services', 'status']);
    expect(result.code).toBe(1);
    // Before: "the daemon did not start within 10s", after waiting all of it.
    expect(result.stderr).toMatch(/^provisioning: the daemon \(pid \d+\) was killed by SIGKILL before it answered; the end of .*daemon\.log:\n/);
    expect(result.stderr).toContain('about to be killed');
    expect(result.stderr).not.toContain('did not start within');
  });

  it('waits past its start deadline for an owner that holds the lock and is still adopting', async () => {
    const h = home();
    // The owner takes the lock at once but listens on owner.sock only 11 s later, as a long adoption would.
    const result = await runWith(h, slowListen(11_000), ['services', 'status', 'web', '--json']);
    // Before: "the daemon did not start within 10s" while it was adopting.
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'stopped' });
  }, 40_000);

  it('waits past its start deadline for the daemon it started while that one still loads, on a loaded machine', async () => {
    const h = home();
    const preload = join(tempDir('pcc-preload-'), 'late.cjs');
    // The daemon takes 11 s before it even reaches the lock, as twenty of them starting at once on a busy machine may.
    writeFileSync(
      preload,
      "if (process.argv.includes('daemon') && process.argv.includes('run')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 11000);\n",
    );
    const result = await runWith(h, { NODE_OPTIONS: `--require ${preload}` }, ['services', 'status', 'web', '--json']);
    // Before: "the daemon did not start within 10s" while the daemon it had started was still loading.
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'stopped' });
  }, 40_000);

  it('waits for the lock holder that is starting instead of starting a daemon of its own', async () => {
    const h = home();
    // As above: the owner holds the lock while it "adopts" for 3 s before it listens.
    const first = runWith(h, slowListen(3_000), ['services', 'status', 'web']);
    await waitFor(() => existsSync(join(h.home, 'services', 'lock.sock')));
    const second = await runWith(h, {}, ['services', 'status', 'web']);
    expect(second.code, second.stderr).toBe(0);
    expect((await first).code).toBe(0);
    const log = readFileSync(join(h.home, 'services', 'daemon.log'), 'utf8');
    // Before: the second client started a daemon too, which lost the race ("another manager already owns").
    expect(log.match(/ owns /g)).toHaveLength(1);
    expect(log).not.toContain('another manager already owns');
  }, 40_000);

  it('refuses a home too long for socket paths, before starting anything', async () => {
    const base = tempDir('pcc-long-');
    const long = join(base, 'h'.repeat(120 - base.length - 1));
    expect(Buffer.byteLength(long)).toBe(120);
    const h = home();
    const result = await new Promise<CliProcessResult>((resolve) =>
      execFile(
        process.execPath,
        [join(process.cwd(), 'bin', 'provisioning.js'), 'services', 'status'],
        { env: { ...process.env, PROVISIONING_HOME: long, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1' } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
    // Before: a socket bound at a truncated path, a daemon that never exits, and a 10 s wait.
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^provisioning: the provisioning home .* is too long for its sockets \(\d+ bytes, the system allows 107\)/),
    });
    expect(existsSync(join(long, 'services', 'daemon.log'))).toBe(false);
  });
});
