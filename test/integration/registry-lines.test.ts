/**
 * `registryLines` (issue 20, item 7: "open the file at the located line") through a real owner: a
 * located issue of the registry file gets the file's lines around it, as the file has them now; an
 * override file's too; an env file's problems are named but its lines — secret values — are never
 * sent; and no other path (however it is spelled) is read.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService } from '../support/engine-harness';
import { ownerOf } from '../support/home-client';

const SECRET = 'tok-5ecret-81c2f0';
const sleeper = ['-e', 'setInterval(() => {}, 1e9)', 'token=${TOKEN}'];
const valid = ['env_files = [".env"]', nodeService('api', sleeper)].join('\n');

let home: Home;
let client: OwnerClient;
let folder: string;

beforeAll(async () => {
  home = privateHome(valid);
  folder = dirname(home.registry);
  writeFileSync(join(folder, '.env'), `TOKEN=${SECRET}\n`);
  writeFileSync(join(folder, 'services.local.toml'), '# local changes\n[services.api]\ndescription = "mine"\n');
  client = await ownerOf(home);
}, 60_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
});

describe('registryLines', () => {
  it("shows the registry's lines around a located issue, and withholds an env file's", async () => {
    writeFileSync(home.registry, `${valid}\n[services.broken]\ndependencies = 7\n`);
    writeFileSync(join(folder, '.env'), `TOKEN=${SECRET}\nnot a line\n`);
    const { issues } = await client.call('graph');
    const inRegistry = issues.find((issue) => issue.file === home.registry && issue.path.join('.') === 'services.broken.dependencies')!;
    const inEnv = issues.find((issue) => issue.file === join(folder, '.env'))!;
    expect(inEnv).toMatchObject({ line: 2, column: 1 });

    const lines = await client.call('registryLines', { file: inRegistry.file, line: inRegistry.line, context: 2 });
    const text = `${valid}\n[services.broken]\ndependencies = 7\n`.split('\n');
    expect(lines).toEqual({
      file: home.registry,
      kind: 'registry',
      firstLine: inRegistry.line - 2,
      lines: text.slice(inRegistry.line - 3, inRegistry.line),
      lineCount: text.length - 1,
    });
    expect(lines.lines.at(-1)).toBe('dependencies = 7');

    const env = await client.call('registryLines', { file: inEnv.file, line: inEnv.line });
    expect(env).toMatchObject({ kind: 'env', lines: [], withheld: expect.stringContaining('secret values') });
    expect(JSON.stringify(env)).not.toContain(SECRET);
  });

  it('shows an override file, by its shown name or its path', async () => {
    const override = join(folder, 'services.local.toml');
    expect(await client.call('registryLines', { file: override, line: 1, context: 1 })).toEqual({
      file: override,
      kind: 'override',
      firstLine: 1,
      lines: ['# local changes', '[services.api]'],
      lineCount: 3,
    });
  });

  it('refuses any other path', async () => {
    for (const file of ['/etc/passwd', join(folder, '..', 'x', '..', 'services.toml', '..', '.env.other'), `${home.registry}/../services.toml.bak`])
      await expect(client.call('registryLines', { file, line: 1 })).rejects.toThrow(`${file} is not a file of this registry; only its own files are shown`);
  });
});
