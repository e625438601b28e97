import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryService } from '../../support/registry-text';
import { cli, tempDir } from '../../support/cli-run';

describe('provisioning services validate', () => {
  it('passes the shipped registries', async () => {
    for (const file of ['config/services.toml', 'config/demo.toml']) {
      const { code, stdout } = await cli(['services', 'validate', '--config', file]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^✓ ${file}: \\d services, valid\\n$`));
    }
  });

  it('prints every located error, a summary, and exits 1 without touching the file', async () => {
    const file = join(tempDir(), 'services.toml');
    const text = `${binaryService('a', 'order = "x"\nconflicts = ["a"]')}${binaryService('b', 'dependencies = ["a", "c"]')}`;
    writeFileSync(file, text);
    const { code, stdout } = await cli(['services', 'validate', '--config', file], { cwd: join(file, '..') });
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        'services.toml:2:1 services.a.order: expected a number, got a string',
        'services.toml:3:14 services.a.conflicts[0]: a service cannot conflict with itself',
        "services.toml:8:22 services.b.dependencies[1]: unknown service 'c'",
        '✗ services.toml: 3 errors',
        '',
      ].join('\n'),
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('reports problems as JSON', async () => {
    const file = join(tempDir(), 'services.toml');
    writeFileSync(file, 'services = [\n');
    const { code, stdout } = await cli(['services', 'validate', '--json', '--config', file]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { valid: boolean; issues: { line: number; severity: string }[] };
    expect(report.valid).toBe(false);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ severity: 'error', line: 2 });
  });

  it('passes with warnings, and counts them', async () => {
    const file = join(tempDir(), 'services.toml');
    writeFileSync(file, `${binaryService('a', 'order = 50\ndependencies = ["b"]')}${binaryService('b', 'order = 60')}`);
    const { code, stdout } = await cli(['services', 'validate', '--config', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/warning: 50 is lower than the order of its dependency 'b' \(60\)/);
    expect(stdout).toMatch(/✓ .*: 2 services, valid \(1 warning\)\n$/);
  });
});
