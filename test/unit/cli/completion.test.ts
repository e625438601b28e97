/**
 * `provisioning __complete` (what the completion scripts ask on each Tab) and `--version`, run
 * in-process: candidates come from the commander program and the registry's TOML, for the registry
 * the command line would use.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli-run';

const registryFile = (text: string) => {
  const path = join(tempDir('pcc-completion-'), 'services.toml');
  writeFileSync(path, text);
  return path;
};
const service = (name: string, extra = '') => `[services.${name}]\n${extra}\n[services.${name}.deployment]\nmode = "binary"\nbinary = { command = "true" }\n`;
const registry = registryFile(service('web', 'required_for = ["server", "test"]') + service('db', 'required_for = ["test"]'));

/** The words offered for a command line whose last word is being completed. */
async function offered(words: string[], env: Record<string, string> = { PROVISIONING_CONFIG: registry }): Promise<string[] | 'files'> {
  const { code, stdout, stderr } = await cli(['__complete', '--', ...words], { env });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const [kind, ...lines] = stdout.trimEnd().split('\n');
  if (kind === 'files') return 'files';
  expect(kind).toBe('words');
  return lines.filter(Boolean).map((line) => line.split('\t')[0]!);
}

describe('provisioning __complete', () => {
  it('commands and subcommands, by prefix, with hidden ones left out', async () => {
    expect(await offered(['services', 'st'])).toEqual(['start', 'stop', 'status']);
    const top = await offered(['']);
    expect(top).toEqual(expect.arrayContaining(['services', 'platform', 'daemon', 'completion']));
    expect(top).not.toContain('__complete');
  });

  it('options of the command and of the program, and option values: choices, names, files', async () => {
    expect(await offered(['services', 'logs', 'web', '--s'])).toEqual(['--since', '--stream']);
    expect(await offered(['--json', 'platform', 'logs', '--con'])).toEqual(['--config']);
    expect(await offered(['services', 'logs', 'web', '--stream', ''])).toEqual(['out', 'err', 'evt']);
    expect(await offered(['services', 'dependencies', '-f', ''])).toEqual(['tree', 'dot', 'mermaid']);
    expect(await offered(['services', 'dependencies', 'web', '--add', ''])).toEqual(['web', 'db']);
    expect(await offered(['-c', ''])).toBe('files');
    expect(await offered(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('service names for names, operation names for operations, from the registry the line names', async () => {
    expect(await offered(['services', 'start', ''])).toEqual(['web', 'db']);
    expect(await offered(['platform', 'stop', 'web', 'd'])).toEqual(['db']);
    expect(await offered(['services', 'check', ''])).toEqual(['server', 'test']);
    // Nothing after the one name `start` takes.
    expect(await offered(['services', 'start', 'web', ''])).toEqual([]);
    const other = registryFile(service('cache'));
    expect(await offered(['--config', other, 'services', 'start', ''])).toEqual(['cache']);
    expect(await offered([`--config=${other}`, 'services', 'start', ''])).toEqual(['cache']);
  });

  it('offers only names the schema accepts: a key or operation with a tab, a newline or a quote never reaches the shell', async () => {
    const hostile = registryFile(`[services."a\\tb"]\n[services."x\\ny"]\n[services.ok]\nrequired_for = ["fine", "bad\\top", "it's"]\n`);
    expect(await offered(['services', 'start', ''], { PROVISIONING_CONFIG: hostile })).toEqual(['ok']);
    expect(await offered(['services', 'check', ''], { PROVISIONING_CONFIG: hostile })).toEqual(['fine']);
  });

  it('a settings.json that is a FIFO or a folder neither hangs a Tab nor fails it', async () => {
    for (const make of [(path: string) => execFileSync('mkfifo', [path]), (path: string) => mkdirSync(path)]) {
      const home = tempDir('pcc-completion-home-');
      make(join(home, 'settings.json'));
      // Names need the registry choice, so the settings are read (a blocking read of a FIFO would hang here).
      expect(await offered(['services', 'start', ''], { PROVISIONING_HOME: home })).toEqual(expect.arrayContaining(['orchestrator', 'web']));
    }
  });

  it('a registry that cannot be read or parsed completes no names, and never fails', async () => {
    expect(await offered(['services', 'start', ''], { PROVISIONING_CONFIG: registryFile('[services.web\n') })).toEqual([]);
    expect(await offered(['services', 'start', ''], { PROVISIONING_CONFIG: '/nonexistent/services.toml' })).toEqual([]);
    expect(await offered(['services', 'start', ''], { PROVISIONING_CONFIG: tempDir() })).toEqual([]);
    // Commands still complete.
    expect(await offered(['services', 'va'], { PROVISIONING_CONFIG: '/nonexistent/services.toml' })).toEqual(['validate']);
  });
});

describe('provisioning --version', () => {
  it('prints the package version, as -V too, and exits 0', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
