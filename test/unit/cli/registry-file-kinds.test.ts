/**
 * `services validate` on files that are not plain UTF-8 registries (issue 15, item 16): a FIFO is
 * refused at once instead of hanging on a blocking read, and bytes that are not UTF-8 are located.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli-run';
import { binaryService } from '../../support/registry-text';

const validate = (path: string) => cli(['services', 'validate', '--config', path]);

describe('registry files that are not plain UTF-8 text', () => {
  it('refuses a FIFO without opening it for a blocking read', async () => {
    const fifo = join(tempDir(), 'services.toml');
    execFileSync('mkfifo', [fifo]);
    const result = await validate(fifo);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${fifo}:1:1 is a FIFO (named pipe), not a regular file: a registry must be a regular file (chosen from --config)`);
  });

  it('refuses a character device', async () => {
    const result = await validate('/dev/zero');
    expect(result.stdout).toContain('/dev/zero:1:1 is a character device, not a regular file: a registry must be a regular file (chosen from --config)');
  });

  it('locates the first byte that is not UTF-8 by line and column', async () => {
    const file = join(tempDir(), 'services.toml');
    const head = Buffer.from(`${binaryService('a')}# café ok\n# caf`);
    writeFileSync(file, Buffer.concat([head, Buffer.from([0xe9, 0x0a])])); // Latin-1 é
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}:6:6 not valid UTF-8 (byte 0xe9): save the file as UTF-8`);
  });

  it('locates a multibyte sequence cut short at its first byte', async () => {
    const file = join(tempDir(), 'services.toml');
    writeFileSync(file, Buffer.concat([Buffer.from('x = "ü'), Buffer.from([0xe2, 0x82]), Buffer.from('"\n')]));
    expect((await validate(file)).stdout).toContain(`${file}:1:7 not valid UTF-8 (byte 0xe2)`);
  });
});
