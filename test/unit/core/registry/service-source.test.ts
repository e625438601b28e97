/**
 * RegistryFile.serviceSource on real files: the registry's block and the override file's
 * (services.local.toml beside it), each with its file and line, and an env file secret that the
 * TOML itself repeats reads as ${NAME}, as everywhere the owner shows text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RegistryFile } from '../../../../src-main/core/registry/registry-file';

const folder = mkdtempSync(join(tmpdir(), 'pcc-source-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('gives the registry’s and the override’s block of a service, secrets masked', async () => {
  writeFileSync(join(folder, '.env'), 'API_KEY=k3y-0f-the-api\n');
  const api = [
    '[services.api]',
    'env_files = [".env"]',
    '[services.api.deployment]',
    'mode = "binary"',
    'binary = { command = "node", args = ["--key", "k3y-0f-the-api"] }',
  ].join('\n');
  writeFileSync(join(folder, 'services.toml'), `# platform\n${api}\n\n[services.db.deployment]\nmode = "binary"\nbinary = { command = "node" }\n`);
  writeFileSync(join(folder, 'services.local.toml'), '[services.api]\nports = [8080]\n');
  const file = new RegistryFile({ path: join(folder, 'services.toml'), source: 'flag' }, folder);
  expect(await file.serviceSource('api')).toEqual([
    { file: 'services.toml', line: 2, text: api.replace('k3y-0f-the-api', '${API_KEY}'), truncated: false },
    { file: 'services.local.toml', line: 1, text: '[services.api]\nports = [8080]', truncated: false },
  ]);
  expect(await file.serviceSource('db')).toEqual([
    { file: 'services.toml', line: 8, text: '[services.db.deployment]\nmode = "binary"\nbinary = { command = "node" }', truncated: false },
  ]);
  expect(await file.serviceSource('nope')).toEqual([]);
});
