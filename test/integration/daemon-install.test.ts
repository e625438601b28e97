/**
 * `daemon install|uninstall` as a person runs them, on a private HOME and XDG_CONFIG_HOME: the unit
 * lands where the user's systemd reads units, systemd itself accepts it, it carries no value of the
 * installing shell but locations, its command really runs the daemon, and uninstall takes it away.
 * No user manager answers here (none is reachable with XDG_RUNTIME_DIR and the bus address unset):
 * systemctl enables the unit by its own links, which the user manager follows at the next login.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { nodeService } from '../support/engine-harness';

const cli = join(process.cwd(), 'bin', 'provisioning.js');
const SECRET = 'hunter2-never-in-a-unit';

interface Machine {
  readonly env: Record<string, string>;
  readonly units: string;
  run(args: string[], extra?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
}

function machine(): Machine {
  const userHome = tempDir('pcc-user-');
  const config = join(userHome, 'xdg-config');
  const env: Record<string, string> = {
    PATH: process.env['PATH']!,
    HOME: userHome,
    XDG_CONFIG_HOME: config,
    PROVISIONING_OWNERS_DIR: join(userHome, 'owners'),
    NO_COLOR: '1',
    // What a shell may hold: none of it belongs in a unit.
    API_TOKEN: SECRET,
    DATABASE_URL: `postgres://app:${SECRET}@db/app`,
  };
  return {
    env,
    units: join(config, 'systemd', 'user'),
    run: (args, extra = {}) =>
      new Promise((resolve) =>
        execFile(process.execPath, [cli, ...args], { env: { ...env, ...extra } }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        ),
      ),
  };
}

/** Fields of a unit's [Service] section, each key with all its values. */
function serviceFields(unit: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let section = '';
  for (const line of unit.split('\n')) {
    if (/^\[.*\]$/.test(line)) section = line;
    const match = /^(\w+)=(.*)$/.exec(line);
    if (match) fields.set(`${section}${match[1]}`, [...(fields.get(`${section}${match[1]}`) ?? []), match[2]!]);
  }
  return fields;
}

const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;
if (!hasAnalyze && process.env['CI'] === 'true') throw new Error('daemon-install: systemd-analyze is not installed: run npm run infra');
if (!hasAnalyze) console.warn('daemon-install: SKIPPED systemd-analyze verify: it is not installed (scripts/infra/systemd.sh); the content is still checked');

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

describe.runIf(process.platform === 'linux')('daemon install|uninstall (systemd user unit)', () => {
  it('writes a unit for a named home that systemd-analyze verifies, with only locations in it, and says how to enable it here', async () => {
    const m = machine();
    const home = tempDir('pcc-home-');
    const registry = join(tempDir('pcc-registry-'), 'services.toml');
    writeFileSync(registry, nodeService('web', ['-e', 'setInterval(() => {}, 1e9)']));
    const result = await m.run(['daemon', 'install'], { PROVISIONING_HOME: home, PROVISIONING_CONFIG: registry });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const files = readdirSync(m.units).filter((name) => name.endsWith('.service'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^provisioning-[0-9a-f]{12}\.service$/);
    const unit = readFileSync(join(m.units, files[0]!), 'utf8');
    const fields = serviceFields(unit);
    expect(fields.get('[Service]ExecStart')).toEqual([`"${process.execPath}" "${realpathSync(cli)}" "daemon" "run"`]);
    expect(fields.get('[Service]Environment')).toEqual([
      `"PROVISIONING_HOME=${realpathSync(home)}"`,
      `"PROVISIONING_CONFIG=${registry}"`,
      `"PATH=${m.env['PATH']}"`,
      `"PROVISIONING_OWNERS_DIR=${m.env['PROVISIONING_OWNERS_DIR']}"`,
    ]);
    expect(fields.get('[Service]Restart')).toEqual(['on-failure']);
    expect(fields.get('[Service]KillMode')).toEqual(['process']);
    expect(fields.get('[Install]WantedBy')).toEqual(['default.target']);
    expect(unit).not.toContain(SECRET);

    // Enabled by systemctl's own links, though no manager answers to be reloaded: both said.
    expect(result.stdout).toContain(`enabled ${files[0]}: it starts at your next login`);
    expect(result.stdout).toContain('no systemd user manager answers here');
    expect(readlinkSync(join(m.units, 'default.target.wants', files[0]!))).toBe(join(m.units, files[0]!));
    expect(spawnSync('systemctl', ['--user', 'is-enabled', files[0]!], { encoding: 'utf8', env: m.env }).stdout.trim()).toBe('enabled');

    if (hasAnalyze) {
      const runtime = tempDir('pcc-runtime-');
      const verify = spawnSync('systemd-analyze', ['--user', 'verify', join(m.units, files[0]!)], {
        encoding: 'utf8',
        env: { ...m.env, XDG_RUNTIME_DIR: runtime },
      });
      // Unknown keys and bad values are only warnings: a clean verify says nothing at all.
      expect({ status: verify.status, stderr: verify.stderr, stdout: verify.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
    }
  });

  it("the unit's command and environment run the daemon of that home (as systemd would start it)", async () => {
    const m = machine();
    const home = tempDir('pcc-home-');
    const registry = join(tempDir('pcc-registry-'), 'services.toml');
    writeFileSync(registry, nodeService('web', ['-e', 'setInterval(() => {}, 1e9)']));
    const extra = { PROVISIONING_HOME: home, PROVISIONING_CONFIG: registry };
    const installed = JSON.parse((await m.run(['daemon', 'install', '--json'], extra)).stdout) as {
      file: string;
      command: string[];
      enabled: boolean;
      managerReloaded: boolean;
    };
    expect(installed).toMatchObject({ enabled: true, managerReloaded: false });
    const fields = serviceFields(readFileSync(installed.file, 'utf8'));
    // Only what the unit gives, as the user manager would start it: its own environment, no shell.
    const unitEnv = Object.fromEntries(fields.get('[Service]Environment')!.map((assignment) => assignment.slice(1, -1).split(/=(.*)/s, 2) as [string, string]));
    const daemon = spawn(installed.command[0]!, installed.command.slice(1), { env: { HOME: m.env['HOME']!, ...unitEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(daemon.pid!);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      daemon.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(`owns ${realpathSync(home)}`)) resolve();
      });
      daemon.once('exit', (code) => reject(new Error(`the daemon exited (${code}) before it owned the home: ${out}`)));
    });
    const status = JSON.parse((await m.run(['daemon', 'status', '--json'], extra)).stdout) as { running: boolean; pid: number; registry: string };
    expect(status).toMatchObject({ running: true, pid: daemon.pid, registry });
    await m.run(['daemon', 'stop'], extra);
  });

  it('the default home gets the plain name, beside another home; uninstall removes one, then says nothing is installed', async () => {
    const m = machine();
    const other = tempDir('pcc-home-');
    // The default home (~/.provisioning of this HOME), on the embedded demo registry.
    expect((await m.run(['daemon', 'install'])).code).toBe(0);
    expect((await m.run(['daemon', 'install'], { PROVISIONING_HOME: other })).code).toBe(0);
    const files = readdirSync(m.units)
      .filter((name) => name.endsWith('.service'))
      .sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^provisioning-[0-9a-f]{12}\.service$/);
    expect(files[1]).toBe('provisioning.service');
    const plain = readFileSync(join(m.units, 'provisioning.service'), 'utf8');
    expect(plain).toContain(`"PROVISIONING_HOME=${realpathSync(join(m.env['HOME']!, '.provisioning'))}"`);
    // Discovered at each start: no registry is pinned when none was named.
    expect(plain).not.toContain('PROVISIONING_CONFIG');

    // Installing again changes nothing and says so.
    expect((await m.run(['daemon', 'install'])).stdout).toContain(`already installed: ${join(m.units, 'provisioning.service')}`);

    const removed = await m.run(['daemon', 'uninstall']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`removed ${join(m.units, 'provisioning.service')}`);
    expect(existsSync(join(m.units, 'provisioning.service'))).toBe(false);
    // Disabled too: its link in default.target.wants is gone, the other home's stays.
    expect(readdirSync(join(m.units, 'default.target.wants'))).toEqual([files[0]]);
    expect(readdirSync(m.units).sort()).toEqual(['default.target.wants', files[0]]);

    const again = await m.run(['daemon', 'uninstall']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no login service is installed for');
    expect(JSON.parse((await m.run(['daemon', 'uninstall', '--json'])).stdout)).toMatchObject({ removed: false });

    expect(JSON.parse((await m.run(['daemon', 'uninstall', '--json'], { PROVISIONING_HOME: other })).stdout)).toMatchObject({ removed: true });
    expect(readdirSync(m.units)).toEqual([]);
  });

  it('refuses a home whose path a unit cannot carry, writing nothing', async () => {
    const m = machine();
    const home = join(tempDir('pcc-home-'), 'two\nlines');
    mkdirSync(home, { mode: 0o700 });
    const result = await m.run(['daemon', 'install'], { PROVISIONING_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('control character');
    expect(existsSync(m.units) ? readdirSync(m.units) : []).toEqual([]);
  });
});
