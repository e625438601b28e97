/**
 * Env references resolve from the environment of the command that starts a service, not from the
 * daemon's (which is only that of whichever command happened to start it), and a service gets no
 * variable of either besides the base and what its registry gives it. The real CLI and its real
 * on-demand daemon, each CLI call with its own environment; services write their environment to a file.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_ENV_LIMITS, withClientEnv } from '@shared/contract/client-env';
import type { StateEvent } from '@shared/contract/service-state';
import { parseRegistry } from '@shared/model';
import { runProbe } from '../../src-main/core/health/run-probe';
import { daemonSocketPath, privateStateRoot, recordedOwnerPid } from '../../src-main/daemon/daemon-paths';
import { OwnerClient } from '../../src-main/daemon/owner-client';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

const CLI = join(process.cwd(), 'bin', 'provisioning.js');
const ROTATED = ['pcc-caller-value-one-7f3a', 'pcc-caller-value-two-9b1c', 'pcc-caller-value-three-2d4e'] as const;
const MANAGER_SECRET = 'pcc-manager-secret-5e8f';

/** Writes its pid and environment to `file` (atomically), then stays up. */
const ENV_WRITER =
  "const fs=require('fs');const f=process.argv[1];fs.writeFileSync(f+'.tmp',JSON.stringify({pid:process.pid,env:process.env}));fs.renameSync(f+'.tmp',f);setInterval(()=>{},1000)";

interface Written {
  readonly pid: number;
  readonly env: Record<string, string>;
}

function registryText(dir: string, extraArg = 'first'): string {
  const service = (name: string, env: string, extra = '') => {
    const args = JSON.stringify(['-e', ENV_WRITER, join(dir, `${name}.json`), extraArg]);
    const binary = `binary = { command = ${JSON.stringify(process.execPath)}, args = ${args}, env = ${env} }`;
    return `[services.${name}]\n${extra}[services.${name}.deployment]\nmode = "binary"\n${binary}\n[services.${name}.startup]\nrestart = "always"\nrestart_delay = "100ms"\n`;
  };
  return (
    service('reader', '{ TOKEN = { env = "PCC_CALLER_SECRET" }, PLAIN = "literal" }', 'required_for = ["deploy"]\n') +
    service('plain', '{}') +
    // A reference to a base name gives the client's value under another name; the base stays the owner's.
    service('pathy', '{ CLIENT_PATH = { env = "PATH" } }')
  );
}

interface Setup {
  readonly home: string;
  readonly registry: string;
  readonly dir: string;
  /** The CLI run from a shell whose environment is the test's plus `extra` (undefined removes a name). */
  run(args: string[], extra: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }>;
  written(service: string): Written | undefined;
}

const setups: Setup[] = [];
afterEach(async () => {
  for (const s of setups.splice(0)) {
    await s.run(['daemon', 'stop'], {});
    for (const p of managedProcesses(s.home)) process.kill(p.pid, 'SIGKILL');
  }
});

function setup(text?: string): Setup {
  const home = tempDir('pcc-home-');
  const dir = tempDir('pcc-caller-env-');
  const registry = join(dir, 'services.toml');
  writeFileSync(registry, text ?? registryText(dir));
  const run: Setup['run'] = (args, extra) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      PROVISIONING_HOME: home,
      PROVISIONING_CONFIG: registry,
      NO_COLOR: '1',
      PCC_CALLER_SECRET: undefined,
      MY_SECRET: undefined,
      ...extra,
    };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    return new Promise((resolve) =>
      execFile(process.execPath, [CLI, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr })),
    );
  };
  const written = (service: string): Written | undefined => {
    const file = join(dir, `${service}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Written) : undefined;
  };
  const created = { home, registry, dir, run, written };
  setups.push(created);
  return created;
}

const status = async (s: Setup, name: string) =>
  JSON.parse((await s.run(['services', 'status', name, '--json'], {})).stdout) as { state: string; reason: string };

/** Every regular file under `root`, read whole. */
function filesUnder(root: string): { path: string; text: string }[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((relative) => join(root, relative))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'latin1') }));
}

/** Every event and pushed message of the owner, as JSON text, while it is connected. */
async function recordEvents(home: string): Promise<{ text: () => string; close: () => void }> {
  const client = await OwnerClient.connect(daemonSocketPath(home));
  const seen: string[] = [];
  client.onEvent((event: StateEvent) => seen.push(JSON.stringify(event)));
  await client.call('subscribe');
  return { text: () => seen.join('\n'), close: () => client.close() };
}

describe('env references read the caller environment', () => {
  it('gives a service the value of the shell that starts it, a rotated one on the next start, and nothing else of either environment', async () => {
    const s = setup();
    // The daemon starts from a shell that has the manager's secret and not the caller's variable.
    expect((await s.run(['services', 'status'], { MY_SECRET: MANAGER_SECRET })).code).toBe(0);
    const events = await recordEvents(s.home);

    const first = await s.run(['services', 'start', 'reader'], { PCC_CALLER_SECRET: ROTATED[0], MY_SECRET: MANAGER_SECRET });
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(s.written('reader')!.env).toMatchObject({ TOKEN: ROTATED[0], PLAIN: 'literal' });

    expect((await s.run(['services', 'stop', 'reader'], {})).code).toBe(0);
    expect((await s.run(['services', 'start', 'reader'], { PCC_CALLER_SECRET: ROTATED[1] })).code).toBe(0);
    expect(s.written('reader')!.env['TOKEN']).toBe(ROTATED[1]);

    expect((await s.run(['services', 'start', 'plain'], { MY_SECRET: MANAGER_SECRET, PCC_CALLER_SECRET: ROTATED[1] })).code).toBe(0);

    // A restart by its policy uses the values last given, kept in the owner's memory.
    const before = s.written('reader')!.pid;
    process.kill(before, 'SIGKILL');
    const restarted = await waitFor(() => s.written('reader')?.pid !== before && s.written('reader'));
    expect(restarted.env['TOKEN']).toBe(ROTATED[1]);
    await waitFor(async () => (await status(s, 'reader')).state === 'healthy');

    // `platform update` restarts what changed with the values the updating shell has.
    writeFileSync(s.registry, registryText(s.dir, 'second'));
    const update = await s.run(['platform', 'update'], { PCC_CALLER_SECRET: ROTATED[2] });
    expect(update, update.stderr).toMatchObject({ code: 0 });
    expect(s.written('reader')!.env['TOKEN'], update.stdout).toBe(ROTATED[2]);
    events.close();

    // No value given or held appears in the home, in an event, or in what the CLI printed.
    const home = filesUnder(s.home);
    expect(home.some((f) => f.path.endsWith('daemon.log'))).toBe(true);
    for (const secret of [...ROTATED, MANAGER_SECRET]) {
      expect(
        home.filter((f) => f.text.includes(secret)).map((f) => f.path),
        secret,
      ).toEqual([]);
      expect(events.text().includes(secret), secret).toBe(false);
    }
    expect(events.text()).toContain('"name":"reader"');
  });

  it('gives a service no variable of the daemon or the caller but the base and its own table', async () => {
    const s = setup();
    const both = { MY_SECRET: MANAGER_SECRET, PCC_CALLER_SECRET: ROTATED[0] };
    // The daemon is started by this very command, so both environments hold both variables.
    expect((await s.run(['platform', 'start', 'plain', 'reader'], both)).code).toBe(0);
    for (const service of ['reader', 'plain']) {
      const env = s.written(service)!.env;
      expect(env['MY_SECRET'], service).toBeUndefined();
      expect(env['PCC_CALLER_SECRET'], service).toBeUndefined();
      expect(env['PROVISIONING_HOME'], service).toBeUndefined();
      expect(env['PATH'], service).toBe(process.env['PATH']);
    }
    expect(s.written('reader')!.env['TOKEN']).toBe(ROTATED[0]);
  });

  it('fails a restart after an owner restart clearly when the value is gone, and a start from a shell without it', async () => {
    const s = setup();
    expect((await s.run(['services', 'start', 'reader'], { PCC_CALLER_SECRET: ROTATED[0] })).code).toBe(0);
    // A new owner adopts the running service, but was never given the value.
    expect((await s.run(['daemon', 'stop'], {})).code).toBe(0);
    expect((await s.run(['services', 'status'], { PCC_CALLER_SECRET: ROTATED[1] })).code).toBe(0);
    const events = await recordEvents(s.home);
    process.kill(s.written('reader')!.pid, 'SIGKILL');
    await waitFor(() => events.text().includes('start it again from a shell where PCC_CALLER_SECRET is set'), 15_000);
    events.close();
    expect(await status(s, 'reader')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('environment variable PCC_CALLER_SECRET is not set (services.reader.deployment.binary.env.TOKEN)'),
    });

    // A start from a shell that lacks it says so; the daemon's own environment does not stand in.
    const without = await s.run(['services', 'start', 'reader'], {});
    expect(without.code).not.toBe(0);
    expect(without.stderr + without.stdout).toContain('environment variable PCC_CALLER_SECRET is not set');
    // Readiness answers for the asking shell, and keeps nothing of it.
    const readiness = async (extra: Record<string, string>) => {
      const report = JSON.parse((await s.run(['services', 'readiness', '--json'], extra)).stdout) as { name: string; verdict: string; reasons: string[] }[];
      return report.find((r) => r.name === 'reader')!;
    };
    expect(await readiness({ PCC_CALLER_SECRET: ROTATED[2] })).toMatchObject({ verdict: 'would start' });
    expect(await readiness({})).toMatchObject({ verdict: 'blocked', reasons: [expect.stringContaining('environment variable PCC_CALLER_SECRET is not set')] });
    expect(
      filesUnder(s.home)
        .filter((f) => ROTATED.some((secret) => f.text.includes(secret)))
        .map((f) => f.path),
    ).toEqual([]);
  });

  it('refuses an unbounded environment in a request, and a page cannot choose the values the UI process sends', async () => {
    const s = setup();
    expect((await s.run(['services', 'status'], {})).code).toBe(0);
    const client = await OwnerClient.connect(daemonSocketPath(s.home));
    try {
      const many = Object.fromEntries(Array.from({ length: CLIENT_ENV_LIMITS.variables + 1 }, (_, i) => [`V${i}`, 'x']));
      await expect(client.call('start', { name: 'reader', env: many })).rejects.toThrow('bad params for start');
      await expect(client.call('start', { name: 'reader', env: { PCC_CALLER_SECRET: 'x'.repeat(CLIENT_ENV_LIMITS.valueLength + 1) } })).rejects.toThrow(
        'bad params for start',
      );
      expect((await client.call('hello')).home).toBe(s.home);
    } finally {
      client.close();
    }
    const fromPage = { id: 1, method: 'start', params: { name: 'reader', env: { PCC_CALLER_SECRET: 'chosen-by-page' } } };
    expect(withClientEnv(fromPage, { PCC_CALLER_SECRET: ROTATED[0] }).params.env).toEqual({ PCC_CALLER_SECRET: ROTATED[0] });
    expect(withClientEnv({ id: 2, method: 'update', params: undefined }, {}).params).toEqual({ env: {} });
    expect(withClientEnv({ id: 3, method: 'stop', params: { name: 'reader' } }, { A: 'b' }).params).toEqual({ name: 'reader' });
  });

  it('gives a command check the base environment, not the manager secrets', async () => {
    const text = `[services.s]\ndeployment = { mode = "binary", binary = { command = "x" } }\n[services.s.health_check]\ntype = "command"\ncommand = { command = 'test -z "$MY_SECRET" && test -n "$PATH"', shell = true }\n`;
    const check = parseRegistry(text, 'probe.toml').registry!.services[0]!.health_check!;
    const dir = tempDir('pcc-check-env-');
    expect(await runProbe(check, { home: dir, registryDir: dir, env: { ...process.env, MY_SECRET: MANAGER_SECRET }, given: {} })).toMatchObject({ ok: true });
  });
});

describe('what a start gives, and what the daemon keeps', () => {
  it('sends a remote service the token of the shell that starts it, and a rotated one after the next start', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
      const s = setup(
        `[services.api.deployment]\nmode = "remote"\nremote = { url = "${url}", token = { env = "PCC_CALLER_SECRET" } }\n[services.api.health_check]\ntype = "http"\ninterval = "100ms"\nhttp = { url = "${url}" }\n`,
      );
      // The daemon starts from a shell without the token: its checks cannot send one.
      expect((await s.run(['services', 'status'], {})).code).toBe(0);
      expect(seen.some((header) => header !== undefined)).toBe(false);
      expect((await status(s, 'api')).reason).toContain('environment variable PCC_CALLER_SECRET is not set');
      // Before: the token came from the daemon's environment, so a token only the calling shell has never arrived.
      expect((await s.run(['services', 'start', 'api'], { PCC_CALLER_SECRET: ROTATED[0] })).code).toBe(0);
      await waitFor(() => seen.at(-1) === `Bearer ${ROTATED[0]}`);
      // The server has answered that probe; its verdict reaches the state just after.
      await waitFor(async () => (await status(s, 'api')).state === 'external');
      expect((await s.run(['services', 'start', 'api'], { PCC_CALLER_SECRET: ROTATED[1] })).code).toBe(0);
      const rotated = seen.length;
      await waitFor(() => seen.length > rotated + 1);
      expect(seen.slice(rotated)).toEqual(seen.slice(rotated).map(() => `Bearer ${ROTATED[1]}`));
      for (const secret of ROTATED)
        expect(
          filesUnder(s.home)
            .filter((f) => f.text.includes(secret))
            .map((f) => f.path),
        ).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('starts the daemon with the base and its tools variables only, never the rest of the shell', async () => {
    const s = setup();
    expect((await s.run(['services', 'status'], { MY_SECRET: MANAGER_SECRET, PCC_CALLER_SECRET: ROTATED[0], KUBECONFIG: '/nowhere/kubeconfig' })).code).toBe(0);
    const pid = recordedOwnerPid(privateStateRoot(s.home))!;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    // Before: the daemon had the whole environment of the shell that started it.
    expect(environ.filter((entry) => entry.includes(MANAGER_SECRET) || entry.includes(ROTATED[0]))).toEqual([]);
    expect(environ).toContain(`PROVISIONING_HOME=${s.home}`);
    expect(environ).toContain('KUBECONFIG=/nowhere/kubeconfig');
    expect(environ).toContain(`PATH=${process.env['PATH']}`);
  });

  it('keeps the values a running service was given when it is started again from a shell without them', async () => {
    const s = setup();
    expect((await s.run(['services', 'start', 'reader'], { PCC_CALLER_SECRET: ROTATED[0] })).code).toBe(0);
    // Already running: nothing launches, so nothing is given (before: its values were replaced by none).
    const again = await s.run(['services', 'start', 'reader'], {});
    expect(again, again.stderr).toMatchObject({ code: 0 });
    const before = s.written('reader')!.pid;
    process.kill(before, 'SIGKILL');
    const restarted = await waitFor(() => s.written('reader')?.pid !== before && s.written('reader'));
    expect(restarted.env['TOKEN']).toBe(ROTATED[0]);
    await waitFor(async () => (await status(s, 'reader')).state === 'healthy');
  });

  it('takes a base variable from the owner even when a reference reads the same name from the client', async () => {
    const s = setup();
    const clientPath = `/pcc-client-only/bin:${process.env['PATH']}`;
    expect((await s.run(['services', 'status'], {})).code).toBe(0);
    expect((await s.run(['services', 'start', 'pathy'], { PATH: clientPath })).code).toBe(0);
    const env = s.written('pathy')!.env;
    expect(env['CLIENT_PATH']).toBe(clientPath);
    // Before: the client's PATH replaced the owner's base PATH.
    expect(env['PATH']).toBe(process.env['PATH']);
  });

  it('services check --auto-start sends the caller values with its starts', async () => {
    const s = setup();
    expect((await s.run(['services', 'status'], {})).code).toBe(0);
    const checked = await s.run(['services', 'check', 'deploy', '--auto-start'], { PCC_CALLER_SECRET: ROTATED[2] });
    // Before: its start carried no values, so the reference was "not set".
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
    expect(s.written('reader')!.env['TOKEN']).toBe(ROTATED[2]);
  });
});
