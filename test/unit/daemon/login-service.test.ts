/**
 * The login service's files: the launchd agent parses back (a real plist parser) to exactly the
 * program, environment and keep-alive asked for; the systemd unit quotes a path with spaces,
 * `%` and `$` so that systemd itself finds the executable there; names differ per home.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchdAgent, launchdLabel, loginServiceName, systemdUnit, type LoginServiceInput } from '../../../src-main/daemon/login-service';
import { tempDir } from '../../support/cli-run';

// electron-builder's own plist reader and writer (a dependency of the packaging tool).
const plist = createRequire(import.meta.url)('plist') as { parse(text: string): unknown };

const input = (over: Partial<LoginServiceInput> = {}): LoginServiceInput => ({
  home: '/Users/ada/.provisioning',
  defaultHome: true,
  node: '/usr/local/bin/node',
  cli: '/opt/provisioning/bin/provisioning.js',
  env: { PATH: '/usr/local/bin:/usr/bin', API_TOKEN: 'secret-token', DOCKER_HOST: 'unix:///var/run/docker.sock' },
  ...over,
});

describe('launchd agent', () => {
  it('parses back to the program, its environment (locations only), RunAtLoad and KeepAlive on failure', () => {
    const label = launchdLabel(loginServiceName('/Users/ada/work & <play>', false));
    const text = launchdAgent(input({ home: '/Users/ada/work & <play>', registry: '/Users/ada/reg "x".toml' }), label, '/Users/ada/work/services/daemon.log');
    expect(plist.parse(text)).toEqual({
      Label: label,
      ProgramArguments: ['/usr/local/bin/node', '/opt/provisioning/bin/provisioning.js', 'daemon', 'run'],
      EnvironmentVariables: {
        PROVISIONING_HOME: '/Users/ada/work & <play>',
        PROVISIONING_CONFIG: '/Users/ada/reg "x".toml',
        PATH: '/usr/local/bin:/usr/bin',
        DOCKER_HOST: 'unix:///var/run/docker.sock',
      },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      StandardOutPath: '/Users/ada/work/services/daemon.log',
      StandardErrorPath: '/Users/ada/work/services/daemon.log',
    });
    expect(text).not.toContain('secret-token');
    expect(label).toMatch(/^dev\.provisioning\.daemon\.[0-9a-f]{12}$/);
    expect(launchdLabel(loginServiceName('/Users/ada/.provisioning', true))).toBe('dev.provisioning.daemon');
  });

  it('refuses a value a plist line cannot carry faithfully', () => {
    expect(() => launchdAgent(input({ home: '/tmp/a\nb' }), 'x', '/tmp/log')).toThrow(/control character/);
  });
});

describe('systemd unit', () => {
  it('names each home apart, the default one plainly', () => {
    expect(loginServiceName('/home/ada/.provisioning', true)).toBe('provisioning');
    expect(loginServiceName('/home/ada/a', false)).not.toBe(loginServiceName('/home/ada/b', false));
    expect(loginServiceName('/home/ada/a', false)).toBe(loginServiceName('/home/ada/a', false));
  });

  it.runIf(spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0)(
    'quotes a node path with spaces, % and $ so systemd finds the executable at exactly that path; refuses one systemd would not run',
    () => {
      const dir = join(tempDir('pcc-unit-'), `my 100% $HOME dir`);
      mkdirSync(dir);
      symlinkSync(process.execPath, join(dir, 'node'));
      const unit = join(tempDir('pcc-unit-'), 'provisioning.service');
      writeFileSync(unit, systemdUnit(input({ node: join(dir, 'node'), cli: __filename, home: '/home/ada/100% "mine"' })));
      const runtime = tempDir('pcc-runtime-');
      const verify = spawnSync('systemd-analyze', ['--user', 'verify', unit], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
      expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: '' });
      expect(() => systemdUnit(input({ node: '/opt/"node"/bin/node' }))).toThrow(/quotes or backslashes/);
      // The same file with the node path one character off is refused: verify did look there.
      writeFileSync(unit, systemdUnit(input({ node: join(dir, 'nodeX'), cli: __filename })));
      expect(
        spawnSync('systemd-analyze', ['--user', 'verify', unit], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } }).stderr,
      ).toContain('is not executable');
    },
  );
});
