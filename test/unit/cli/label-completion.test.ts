/** `--label` of `platform start|stop|restart` completes the registry's labels (read from its TOML, unvalidated). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli-run';

const service = (name: string, extra: string) =>
  `[services.${name}]\n${extra}\n[services.${name}.deployment]\nmode = "binary"\nbinary = { command = "true" }\n`;

describe('completing --label', () => {
  it('offers every well-formed label once, sorted, by prefix', async () => {
    const registry = join(tempDir('pcc-completion-'), 'services.toml');
    writeFileSync(registry, service('a', 'labels = ["infra", "billing"]') + service('b', 'labels = ["billing", "Bad Label", "bi-ops"]'));
    const offered = async (words: string[]) => {
      const { code, stdout } = await cli(['__complete', '--', ...words], { env: { PROVISIONING_CONFIG: registry } });
      expect(code).toBe(0);
      return stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t')[0]);
    };
    expect(await offered(['platform', 'start', '--label', ''])).toEqual(['bi-ops', 'billing', 'infra']);
    expect(await offered(['platform', 'stop', '-l', 'bi'])).toEqual(['bi-ops', 'billing']);
    expect(await offered(['platform', 'restart', '--l'])).toEqual(['--label']);
  });
});
