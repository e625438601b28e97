/**
 * `provisioning run` (issue 18, item 4), through the real CLI and its daemon, on real HTTP servers
 * with http health checks on kernel-assigned ports: the operation's `required_for` closure starts
 * healthy, the command reaches each service through its PROVISIONING_<NAME>_* variables, the exit
 * code is the command's, what the run started is stopped and what ran before is left running; Ctrl-C
 * reaches the command first and ends the run with 130 after cleaning up; a needed service that does
 * not start means the command never runs; two overlapping runs never stop what the other needs.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { privateHomes, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { freePort, nodeService, waitFor } from '../support/engine-harness';

const homes = privateHomes('');
afterEach(() => homes.cleanup());

/** A node HTTP server answering "<name> says hi", healthy by an http check of its /health. */
function httpService(name: string, port: number, extra: string): string {
  const server = `require("http").createServer((q, s) => s.end("${name} says hi")).listen(${port}, "127.0.0.1")`;
  return [
    nodeService(name, ['-e', server], extra, 'timeout = "30s"\nrestart = "no"'),
    `[services.${name}.health_check]\ntype = "http"\ninterval = "500ms"\ntimeout = "500ms"\nretries = 1`,
    `http = { url = "http://127.0.0.1:${port}/health" }`,
    '',
  ].join('\n');
}

/** test needs api (and so db) and cache; other is needed by nothing; broken-test needs broken, which needs db and exits 3. */
async function registry(): Promise<{ text: string; ports: Record<string, number> }> {
  const ports = { db: await freePort(), api: await freePort(), cache: await freePort(), other: await freePort() };
  const text = [
    httpService('db', ports.db, ''),
    httpService('api', ports.api, 'dependencies = ["db"]\nrequired_for = ["test"]'),
    httpService('cache', ports.cache, 'required_for = ["test"]'),
    httpService('other', ports.other, ''),
    nodeService(
      'broken',
      ['-e', 'console.error("cannot open the schema"); process.exit(3)'],
      'dependencies = ["db"]\nrequired_for = ["broken-test"]',
      'restart = "no"',
    ),
  ].join('\n');
  return { text, ports };
}

const statuses = async (home: Home) =>
  new Map((JSON.parse((await home.run(['services', 'status', '--json'])).stdout) as ServiceStatus[]).map((s) => [s.name, s]));

/** A command that says it runs, then waits until `file` exists. */
const waitingCommand = (label: string, file: string) => [
  process.execPath,
  '-e',
  `console.log("${label} running"); const t = setInterval(() => require("fs").existsSync(${JSON.stringify(file)}) && clearInterval(t), 50)`,
];

describe('provisioning run', () => {
  it('run --for test -- sh -c …: the closure starts healthy, the command reaches it, exit 7, only what it started is stopped', async () => {
    const { text, ports } = await registry();
    const home = homes.create(text);
    expect((await home.run(['services', 'start', 'cache'])).code).toBe(0);
    const cachePids = home.processes('cache');
    expect(cachePids).not.toEqual([]);
    const script = [
      'curl -fsS "$PROVISIONING_API_URL/health" || exit 90',
      'echo',
      'curl -fsS "http://$PROVISIONING_DB_HOST:$PROVISIONING_DB_PORT/" || exit 91',
      'echo',
      'echo "cache at $PROVISIONING_CACHE_URL"',
      'exit 7',
    ].join('; ');
    const { code, stdout, stderr } = await home.run(['run', '--for', 'test', '--', 'sh', '-c', script]);
    // stdout is the command's alone: it connected to both services the run started.
    expect({ code, stdout }).toEqual({ code: 7, stdout: `api says hi\ndb says hi\ncache at http://127.0.0.1:${ports.cache}\n` });
    expect(stderr).toContain('run: cache, db, api ready; running sh -c curl');
    expect(stderr).toMatch(/run: stopped (api, db|db, api); left cache running \(ran before\)/);
    // Nothing it started is left; what ran before runs on, the same process; nothing else was touched.
    expect([...home.processes('api'), ...home.processes('db')]).toEqual([]);
    expect(home.processes('cache')).toEqual(cachePids);
    const now = await statuses(home);
    expect(['api', 'db', 'cache', 'other'].map((name) => now.get(name)!.state)).toEqual(['stopped', 'stopped', 'healthy', 'stopped']);
  }, 90_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while the command runs (SIGINT: Ctrl-C): the command gets it first, then the run cleans up and exits %i',
    async (signal, exitCode) => {
      const { text } = await registry();
      const home = homes.create(text);
      const child = `process.on("${signal}", () => { console.log("command got ${signal}"); process.exit(5) }); console.log("command ready on " + process.env.PROVISIONING_API_PORT); setInterval(() => {}, 1000)`;
      const run = home.spawnPiped(['run', '--for', 'test', '--', process.execPath, '-e', child]);
      await waitFor(() => run.stdout().includes('command ready on '), 60_000);
      expect(home.processes('api')).not.toEqual([]);
      run.child.kill(signal);
      expect(await run.exited).toBe(exitCode);
      expect(run.stdout()).toMatch(new RegExp(`command ready on \\d+\ncommand got ${signal}\n`));
      expect(run.stderr()).toMatch(/run: stopped /);
      expect([...home.processes('api'), ...home.processes('db'), ...home.processes('cache')]).toEqual([]);
    },
    90_000,
  );

  it('a run killed outright (SIGKILL): the owner stops what it started once its connection ends', async () => {
    const { text } = await registry();
    const home = homes.create(text);
    const child = `console.log("command pid " + process.pid); setInterval(() => {}, 1000)`;
    const run = home.spawnPiped(['run', '--for', 'test', '--', process.execPath, '-e', child]);
    await waitFor(() => /command pid \d+\n/.test(run.stdout()), 60_000);
    const command = Number(/command pid (\d+)/.exec(run.stdout())![1]);
    run.child.kill('SIGKILL');
    // The command was the run's child, not the owner's: nothing of ours ends it (and it holds the pipes open).
    process.kill(command, 'SIGKILL');
    await run.exited;
    await waitFor(() => [...home.processes('api'), ...home.processes('db'), ...home.processes('cache')].length === 0, 60_000);
    const now = await statuses(home);
    expect(['api', 'db', 'cache'].map((name) => now.get(name)!.state)).toEqual(['stopped', 'stopped', 'stopped']);
  }, 90_000);

  it('the owner killed while the command runs: its exit code still stands, and what may be left is named', async () => {
    const { text } = await registry();
    const home = homes.create(text);
    const pidFile = join(tempDir('pcc-run-'), 'owner.pid');
    // The command waits for the owner's pid, kills the owner, then exits 7.
    const killer = `const fs = require("fs"); const t = setInterval(() => { if (!fs.existsSync(${JSON.stringify(pidFile)})) return; clearInterval(t); process.kill(Number(fs.readFileSync(${JSON.stringify(pidFile)}, "utf8")), "SIGKILL"); setTimeout(() => process.exit(7), 200); }, 50)`;
    const run = home.spawnPiped(['run', '--for', 'test', '--', process.execPath, '-e', killer]);
    await waitFor(() => /ready; running/.test(run.stderr()), 60_000);
    writeFileSync(pidFile, String(await home.daemonPid()));
    expect(await run.exited).toBe(7);
    expect(run.stderr()).toMatch(/run: could not end the run with the owner \(.*\); .+ may still run: provisioning services stop /);
    await home.run(['platform', 'stop']);
  }, 90_000);

  it('a needed service that cannot start: why, what was started for it stopped, the command never runs, exit 1', async () => {
    const { text } = await registry();
    const home = homes.create(text);
    const marker = join(tempDir('pcc-run-'), 'ran');
    const { code, stdout, stderr } = await home.run(['run', '--for', 'broken-test', '--', 'touch', marker]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(existsSync(marker)).toBe(false);
    // As `services why` says it: the state, the reason with the code, its last words.
    expect(stderr).toMatch(/broken is failed: exited with code 3/);
    expect(stderr).toContain('cannot open the schema');
    expect(stderr).toContain('✗ broken not serving: the command was not run');
    // db started healthy for it, and is stopped again.
    expect(stderr).toMatch(/run: stopped (broken, db|db, broken)\n/);
    expect(home.processes('db')).toEqual([]);
  }, 90_000);

  it('two overlapping runs in one home: the first to end leaves what the other needs; the last one stops it', async () => {
    const { text } = await registry();
    const home = homes.create(text);
    const dir = tempDir('pcc-run-');
    const first = home.spawnPiped(['run', '--for', 'test', '--', ...waitingCommand('first', join(dir, 'first'))]);
    await waitFor(() => first.stdout().includes('first running'), 60_000);
    const second = home.spawnPiped(['run', '--for', 'test', '--', ...waitingCommand('second', join(dir, 'second'))]);
    await waitFor(() => second.stdout().includes('second running'), 60_000);
    const pids = home.processes('api');
    // The first started them; it ends while the second still needs them.
    writeFileSync(join(dir, 'first'), '');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toMatch(/left api running \(another run needs it\)/);
    expect(home.processes('api')).toEqual(pids);
    writeFileSync(join(dir, 'second'), '');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toMatch(/run: stopped /);
    expect([...home.processes('api'), ...home.processes('db'), ...home.processes('cache')]).toEqual([]);
  }, 120_000);
});
