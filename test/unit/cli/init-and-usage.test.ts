import { chmodSync, existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli-run';

describe('provisioning init', () => {
  it("writes the platform registry and its schema into the user's private home, which then becomes the default", async () => {
    const home = join(tempDir(), 'home');
    const first = await cli(['init'], { env: { PROVISIONING_HOME: home } });
    expect(first.code).toBe(0);
    const registry = join(home, 'config', 'services.toml');
    expect(first.stdout).toContain(`wrote ${registry}`);
    expect(readFileSync(registry, 'utf8')).toBe(readFileSync('config/services.toml', 'utf8'));
    expect(existsSync(join(home, 'config', 'services.schema.json'))).toBe(true);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    // The override example: commented, and valid over the registry once every example in it is written out.
    const example = readFileSync(join(home, 'config', 'services.local.toml.example'), 'utf8');
    const written = example.replace(/^# (\[|[a-z_.]+ = )/gm, '$1');
    expect(written).not.toBe(example);
    writeFileSync(join(home, 'config', 'services.local.toml'), written);
    const validate = await cli(['services', 'validate'], { env: { PROVISIONING_HOME: home } });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const overridden = await cli(['services', 'list'], { env: { PROVISIONING_HOME: home } });
    expect(overridden.stdout).toContain('services.local.toml overrides: control-center (ports, deployment.binary.args, health_check.http.url); oci-registry (');
    expect(overridden.stdout).toContain('mcp-server disabled');
    unlinkSync(join(home, 'config', 'services.local.toml'));
    const list = await cli(['services', 'list', '--json'], { env: { PROVISIONING_HOME: home } });
    expect(JSON.parse(list.stdout)).toMatchObject({ registry: { source: 'user', path: registry } });
  });

  it('refuses to overwrite without --force, and keeps a backup with it', async () => {
    const home = join(tempDir(), 'home');
    await cli(['init'], { env: { PROVISIONING_HOME: home } });
    const registry = join(home, 'config', 'services.toml');
    writeFileSync(registry, '# my edits\n');
    const refused = await cli(['init'], { env: { PROVISIONING_HOME: home } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(readFileSync(registry, 'utf8')).toBe('# my edits\n');
    const forced = await cli(['init', '--force'], { env: { PROVISIONING_HOME: home } });
    expect(forced.code).toBe(0);
    expect(readFileSync(`${registry}.bak`, 'utf8')).toBe('# my edits\n');
    expect(readFileSync(registry, 'utf8')).toBe(readFileSync('config/services.toml', 'utf8'));
  });

  it('says plainly when the home cannot be created, and exits 1', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const { code, stderr } = await cli(['init'], { env: { PROVISIONING_HOME: join(file, 'home') } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^provisioning: ENOTDIR: not a directory, mkdir '.*a-file\/home'\n$/);
  });
});

describe('usage', () => {
  it.each([[['services', 'frobnicate']], [['services', 'list', '--bogus']], [['services', 'dependencies', '--format', 'png']], [['nothing-here']]])(
    'exits 2 on a usage error: %j',
    async (argv) => {
      const { code, stderr } = await cli(argv);
      expect(code).toBe(2);
      expect(stderr).toMatch(/error:/);
    },
  );

  it('exits 0 for --help and lists only the commands that exist', async () => {
    const { code, stdout } = await cli(['services', '--help']);
    expect(code).toBe(0);
    const commands = stdout
      .split('Commands:')[1]!
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(commands).toEqual([
      'list',
      'dependencies',
      'validate',
      'start',
      'stop',
      'restart',
      'rebuild',
      'exec',
      'attach',
      'why',
      'status',
      'health',
      'monitor',
      'readiness',
      'check',
      'logs',
      'help',
    ]);
    const platform = await cli(['platform', '--help']);
    const platformCommands = platform.stdout
      .split('Commands:')[1]!
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(platformCommands).toEqual(['start', 'stop', 'restart', 'status', 'update', 'logs', 'watch', 'health', 'help']);
  });
});

describe('provisioning init on an existing folder', () => {
  it('leaves the mode of a home it did not create alone', async () => {
    const home = tempDir();
    chmodSync(home, 0o755);
    expect((await cli(['init'], { env: { PROVISIONING_HOME: home } })).code).toBe(0);
    expect(statSync(home).mode & 0o777).toBe(0o755);
  });
});
