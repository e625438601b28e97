/**
 * One owner per home, whoever else is on the machine: another real user (`nobody`) can neither squat
 * the lock, nor reach the daemon's sockets, nor hold `daemon stop` up; a home other users could write
 * to is refused; one home spelled three ways (`$H`, `$H/`, a symlink) gets one owner; and after an
 * owner's SIGKILL, twenty CLIs racing for its stale lock still make exactly one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, unlinkSync } from 'node:fs';
import { identify } from '../../src-main/core/process/process-identity';
import { acquireOwnerLock, listenerAt, ownerLockPath } from '../../src-main/daemon/owner-lock';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { MAX_CLIENTS } from '../../src-main/daemon/contract-server';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, DEMO, nodeService, waitFor } from '../support/engine-harness';
import { privateHomes, type CliProcessResult, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { execFile } from 'node:child_process';

const registry = nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']);
const homes = privateHomes(registry);
const home = () => homes.create();
const intruders: ChildProcess[] = [];
afterEach(async () => {
  for (const intruder of intruders.splice(0)) intruder.kill('SIGKILL');
  await homes.cleanup();
});

/** The CLI on `h`'s registry with the home spelled as given. */
const runAs = (h: Home, spelledHome: string, args: string[]) =>
  new Promise<CliProcessResult>((resolve) =>
    execFile(
      process.execPath,
      [join(process.cwd(), 'bin', 'provisioning.js'), ...args],
      { env: { ...process.env, PROVISIONING_HOME: spelledHome, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    ),
  );

/** Live `daemon run` processes whose home is `home` however they spell it. */
function daemonsOf(home: string): number[] {
  const real = realpathSync(home);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (!argv.includes('daemon') || !argv.includes('run')) return false;
        const spelled = readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .find((v) => v.startsWith('PROVISIONING_HOME='))
          ?.slice('PROVISIONING_HOME='.length);
        return spelled !== undefined && realpathSync(spelled) === real;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A script run as `nobody`: squats the abstract name the lock used to have (one per spelling), holds
 * connections with a partial line to whatever of it listens, and tries the home's sockets. Prints one
 * JSON line of what it got, then stays until killed.
 */
const INTRUDER = `
const net = require('node:net'), crypto = require('node:crypto');
const [home, sockets, squatting] = JSON.parse(process.argv[1]);
const oldLock = (h) => '\\0provisioning-owner-' + crypto.createHash('sha256').update(h).digest('hex').slice(0, 24);
const attempt = (path, hold) => new Promise((resolve) => {
  const socket = net.connect(path);
  socket.once('connect', () => { if (hold) { socket.write('{"id":1,"method":"hel'); held.push(socket); } else socket.destroy(); resolve('connected'); });
  socket.once('error', (e) => resolve(e.code));
});
const held = [];
const squat = (name) => new Promise((resolve) => net.createServer((s) => held.push(s)).once('error', (e) => resolve(e.code)).listen(name, () => resolve('bound')));
(async () => {
  const report = { squat: [], oldLock: [], sockets: {} };
  if (squatting) for (const h of [home, home + '/']) report.squat.push(await squat(oldLock(h)));
  for (let i = 0; i < 200; i++) report.oldLock.push(await attempt(oldLock(home), true));
  for (const path of sockets) report.sockets[path] = await attempt(path, false);
  console.log(JSON.stringify(report));
})();
`;

async function intrude(home: string, sockets: string[], squatting = false): Promise<{ squat: string[]; oldLock: string[]; sockets: Record<string, string> }> {
  const child = spawn(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', INTRUDER, JSON.stringify([home, sockets, squatting])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  intruders.push(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return JSON.parse(await waitFor(() => out.includes('\n') && out, 15_000)) as never;
}

describe('the owner lock against another local user', () => {
  it('is not taken by nobody squatting the name the lock used to have', async () => {
    const h = home();
    const report = await intrude(h.home, [], true);
    // Before: the lock was this abstract name, so every command failed "the daemon did not start within 10s".
    expect(report.squat).toEqual(['bound', 'bound']);
    const started = await h.run(['services', 'start', 'web']);
    expect(started, started.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^web healthy/m) });
    const pid = await h.daemonPid();
    expect(pid).toBeGreaterThan(0);
    expect((await h.run(['daemon', 'stop'])).stdout).toContain(`daemon (pid ${pid}) stopped`);
    await waitFor(() => !alive(pid!));
  }, 30_000);

  it('keeps nobody off its sockets, so no connection of theirs holds `daemon stop` up', async () => {
    const h = home();
    expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
    const daemon = (await h.daemonPid())!;
    const sockets = ['lock.sock', 'owner.sock'].map((name) => join(h.home, 'services', name));
    const report = await intrude(h.home, sockets);
    // The kernel's permission check on the 0700 home refuses every connection of another user.
    expect(Object.values(report.sockets)).toEqual(['EACCES', 'EACCES']);
    // Before: nobody's 200 connections with a partial line sat on the abstract lock and the stopped daemon never exited.
    expect(new Set(report.oldLock)).not.toContain('connected');
    expect((await h.run(['daemon', 'stop'])).code).toBe(0);
    await waitFor(() => !alive(daemon), 10_000);
    const status = await h.run(['services', 'status', 'web', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { state: string }).state).toBe('healthy');
  }, 40_000);

  it('refuses a home another user owns or can write to', async () => {
    const h = home();
    const foreign = join(tempDir('pcc-foreign-'), 'home');
    mkdirSync(foreign);
    chownSync(foreign, 65534, 65534);
    const notOurs = await runAs(h, foreign, ['services', 'status']);
    expect(notOurs).toMatchObject({ code: 1, stderr: expect.stringContaining(`the provisioning home ${foreign} belongs to uid 65534, not to you`) });
    chmodSync(h.home, 0o777);
    const open = await h.run(['services', 'status']);
    expect(open).toMatchObject({ code: 1, stderr: expect.stringContaining('can be written by other users (mode 777)') });
    chmodSync(h.home, 0o700);
  });
});

describe('a connection flood by the same user', () => {
  it('closes connections past the bound on both sockets, and a CLI works once they go', async () => {
    const h = home();
    expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
    const daemon = (await h.daemonPid())!;
    const open = (path: string) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(path);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    const closed = (socket: Socket) => new Promise<boolean>((resolve) => (socket.destroyed ? resolve(true) : socket.once('close', () => resolve(true))));
    const held: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CLIENTS; i++) held.push(await open(daemonSocketPath(h.home)));
      // The 129th is accepted by the kernel and closed by the owner at once.
      expect(await closed(await open(daemonSocketPath(h.home)))).toBe(true);
      // The lock closes every connection as it comes, however many there are.
      const probes = await Promise.all(Array.from({ length: 64 }, () => open(ownerLockPath(join(h.home, 'services')))));
      expect(await Promise.all(probes.map(closed))).toEqual(Array(64).fill(true));
    } finally {
      held.forEach((socket) => socket.destroy());
    }
    await waitFor(async () => (await h.run(['services', 'status', 'web', '--json'])).code === 0, 10_000);
    expect(await h.daemonPid()).toBe(daemon);
  }, 30_000);
});

describe('one home, one owner', () => {
  it('gives $H, $H/ and a symlink to it one daemon and one instance', async () => {
    const h = home();
    const link = join(tempDir('pcc-link-'), 'home');
    symlinkSync(h.home, link);
    const spellings = [h.home, `${h.home}/`, link];
    const started = await Promise.all(spellings.map((spelled) => runAs(h, spelled, ['services', 'start', 'web'])));
    expect(started.map((r) => r.code)).toEqual([0, 0, 0]);
    // Daemons that lost the lock exit at once; before, each spelling kept its own owner.
    await waitFor(() => daemonsOf(h.home).length === 1, 10_000);
    const hellos = await Promise.all(
      spellings.map(async (spelled) => JSON.parse((await runAs(h, spelled, ['daemon', 'status', '--json'])).stdout) as { pid: number; home: string }),
    );
    expect(new Set(hellos.map((hello) => hello.pid)).size).toBe(1);
    expect(hellos[0]!.home).toBe(realpathSync(h.home));
    expect(h.processes('web')).toHaveLength(1);
  }, 30_000);

  it('makes exactly one owner of twenty CLIs racing for the stale lock of a SIGKILLed one', async () => {
    const h = home();
    expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
    const first = (await h.daemonPid())!;
    process.kill(first, 'SIGKILL');
    await waitFor(() => !alive(first));
    const results = await Promise.all(Array.from({ length: 20 }, () => h.run(['services', 'status', 'web', '--json'])));
    // Each failure by its message: which of the ways out of the race it took.
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    await waitFor(() => daemonsOf(h.home).length === 1, 10_000);
    const [owner] = daemonsOf(h.home);
    expect(await h.daemonPid()).toBe(owner);
    expect(h.processes('web')).toHaveLength(1);
  }, 60_000);
});

/** A socket file at `path` whose listener died (SIGKILL leaves the file behind). */
async function deadSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('the owner lock file', () => {
  it('is released only while it is still ours: a gone one is no error, a new holder keeps theirs', async () => {
    const dir = tempDir('pcc-lock-');
    const lock = ownerLockPath(dir);
    const first = (await acquireOwnerLock(dir))!;
    unlinkSync(lock);
    const second = (await acquireOwnerLock(dir))!;
    expect(second).toBeDefined();
    // Before: this unlinked the second holder's live lock.sock; with none there, it threw ENOENT.
    await first.release();
    expect(await listenerAt(lock)).toBe('alive');
    expect(await acquireOwnerLock(dir)).toBeUndefined();
    await second.release();
    expect(await listenerAt(lock)).toBe('gone');
    await expect(first.release()).resolves.toBeUndefined();
  });

  it('sweeps the names of contenders that died before linking theirs', async () => {
    const dir = tempDir('pcc-lock-');
    const left = join(dir, 'lock.0123456789ab.sock');
    await deadSocket(left);
    expect(existsSync(left)).toBe(true);
    const lock = (await acquireOwnerLock(dir))!;
    expect(readdirSync(dir)).toEqual(['lock.sock']);
    await lock.release();
  });

  it('names the claim files, not the lock, when a live claimant keeps a dead lock', async () => {
    const dir = tempDir('pcc-lock-');
    await deadSocket(ownerLockPath(dir));
    // A claim naming a live process (this one) that never finishes its takeover.
    symlinkSync(`${process.pid} ${identify(process.pid)!.startTime}`, `${ownerLockPath(dir)}.claim`);
    const error = (await acquireOwnerLock(dir).catch((e: Error) => e)) as Error;
    expect(error.message).toContain(`its claim files (${ownerLockPath(dir)}.claim,`);
    expect(error.message).toContain('remove those claim files (never lock.sock)');
    expect(readdirSync(dir).sort()).toEqual(['lock.sock', 'lock.sock.claim']);
  }, 20_000);
});
