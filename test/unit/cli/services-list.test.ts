import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryService } from '../../support/registry-text';
import { cli, tempDir } from '../../support/cli-run';

const ESC = '\u001b[';
const DEMO_START_ORDER = ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'];

describe('provisioning services list', () => {
  it('lists the embedded demo registry in start order when nothing is configured', async () => {
    const { code, stdout, stderr } = await cli(['services', 'list']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME +MODE +ORDER +AUTO +DEPENDS ON +HEALTH CHECK +DESCRIPTION$/);
    expect(lines.slice(1, 7).map((line) => line.split(/\s+/)[0])).toEqual(DEMO_START_ORDER);
    expect(lines.find((line) => line.startsWith('api '))).toMatch(/^api +binary +40 +yes +auth, cache +http:\/\/127\.0\.0\.1:4705\/health +Public API/);
    expect(stdout).toContain('6 services · ');
    expect(stdout).toContain('(embedded demo registry)');
    expect(stdout).not.toContain(ESC);
  });

  it('prints JSON with the full definitions for scripts', async () => {
    const { code, stdout } = await cli(['services', 'list', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { registry: { source: string }; services: { name: string; startup: { timeout: number } }[] };
    expect(parsed.registry.source).toBe('embedded');
    expect(parsed.services.map((s) => s.name)).toEqual(DEMO_START_ORDER);
    expect(parsed.services.find((s) => s.name === 'indexer')!.startup.timeout).toBe(15_000);
  });

  it('finds the registry: --config, then PROVISIONING_CONFIG, then the user registry, then the demo', async () => {
    const dir = tempDir();
    const write = (name: string, service: string) => {
      const path = join(dir, name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, binaryService(service));
      return path;
    };
    const flag = write('flag.toml', 'from-flag');
    const env = write('env.toml', 'from-env');
    const home = join(dir, 'home');
    write('home/config/services.toml', 'from-user');
    const names = async (argv: string[], vars: Record<string, string>) =>
      (JSON.parse((await cli([...argv, 'services', 'list', '--json'], { env: vars })).stdout) as { services: { name: string }[] }).services.map((s) => s.name);
    expect(await names(['--config', flag], { PROVISIONING_CONFIG: env, PROVISIONING_HOME: home })).toEqual(['from-flag']);
    expect(await names([], { PROVISIONING_CONFIG: env, PROVISIONING_HOME: home })).toEqual(['from-env']);
    expect(await names([], { PROVISIONING_HOME: home })).toEqual(['from-user']);
    expect(await names([], { PROVISIONING_HOME: join(dir, 'empty-home') })).toEqual(DEMO_START_ORDER);
  });

  it('names a configured registry that is missing instead of falling back', async () => {
    const { code, stdout, stderr } = await cli(['services', 'list'], { env: { PROVISIONING_CONFIG: '/nonexistent/services.toml' } });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('/nonexistent/services.toml:1:1 no such file');
  });

  it('refuses an invalid registry with its located errors on stderr', async () => {
    const file = join(tempDir(), 'bad.toml');
    writeFileSync(file, binaryService('a', 'dependencies = ["b"]'));
    const { code, stdout, stderr } = await cli(['services', 'list', '--config', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:2:17 services.a.dependencies[0]: unknown service 'b'`);
  });

  it('colors only when asked: FORCE_COLOR on, NO_COLOR and --no-color win', async () => {
    expect((await cli(['services', 'list'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}1morchestrator`);
    expect((await cli(['services', 'list'], { tty: true })).stdout).toContain(ESC);
    expect((await cli(['services', 'list'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await cli(['services', 'list', '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
  });
});
