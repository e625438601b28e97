/** A service's TOML block sliced from a registry file's text: exact lines, sub-tables kept, the next service's header and its comments left out. */
import { describe, expect, it } from 'vitest';
import { headerPath, MAX_BLOCK_CHARS, serviceBlocks } from '../../../../src-main/core/registry/service-block';

/** The first block (these files have one per service). */
const serviceBlock = (text: string, name: string) => serviceBlocks(text, name)[0];

const FILE = [
  '# the platform',
  'env_files = [".env"]',
  '',
  '[services.db]',
  'description = "the database"',
  '',
  '[services.api]',
  'description = "api"  # the front',
  'dependencies = ["db"]',
  '[services.api.deployment]',
  'mode = "binary"',
  '[services.api.deployment.binary]',
  'command = "node"',
  "args = ['-e', '''",
  '[services.fake]',
  "''']",
  'env = { TOKEN = { env = "SOME_VAR" } }',
  '',
  '# the web front, after the api',
  '[services.web]',
  'dependencies = ["api"]',
].join('\n');

describe('serviceBlock', () => {
  it('takes the header, every sub-table and a multi-line string that looks like a header, up to the next service', () => {
    const block = serviceBlock(FILE, 'api')!;
    expect(block.line).toBe(7);
    expect(block.text).toBe(FILE.split('\n').slice(6, 17).join('\n'));
    expect(block.truncated).toBe(false);
  });

  it('leaves out the blank and comment lines that introduce the next header; the last block runs to the end', () => {
    expect(serviceBlock(FILE, 'db')).toEqual({ line: 4, text: '[services.db]\ndescription = "the database"', truncated: false });
    expect(serviceBlock(FILE, 'web')?.text).toBe('[services.web]\ndependencies = ["api"]');
  });

  it('finds quoted names and a service defined only by its sub-tables; answers undefined for one that is not there', () => {
    expect(serviceBlock('[services."my.api"]\nx = 1\n[services.b]\n', 'my.api')?.text).toBe('[services."my.api"]\nx = 1');
    expect(serviceBlock("[ services . 'c' . deployment ]\nmode = 'remote'\n", 'c')?.line).toBe(1);
    expect(serviceBlock(FILE, 'fake')).toBeUndefined();
    expect(serviceBlock(FILE, 'ap')).toBeUndefined();
  });

  it('keeps CRLF lines as they are', () => {
    expect(serviceBlock('[services.a]\r\nx = 1\r\n\r\n[services.b]\r\n', 'a')?.text).toBe('[services.a]\r\nx = 1');
  });

  it('cuts a block over the bound at a line, saying so', () => {
    const long = `[services.a]\n${'x = "0123456789"\n'.repeat(MAX_BLOCK_CHARS / 10)}[services.b]\n`;
    const block = serviceBlock(long, 'a')!;
    expect(block.truncated).toBe(true);
    expect(block.text.length).toBeLessThanOrEqual(MAX_BLOCK_CHARS);
    expect(block.text.endsWith('"0123456789"')).toBe(true);
  });
});

describe('serviceBlocks', () => {
  it("gives each run of the service's headers as a block of its own, with its line, in file order", () => {
    const split = ['[services.api]', 'x = 1', '', '[services.db]', 'y = 2', '', '# its check, kept apart', '[services.api.health_check]', 'kind = "http"'].join(
      '\n',
    );
    expect(serviceBlocks(split, 'api')).toEqual([
      { line: 1, text: '[services.api]\nx = 1', truncated: false },
      { line: 8, text: '[services.api.health_check]\nkind = "http"', truncated: false },
    ]);
    expect(serviceBlocks(split, 'db')).toEqual([{ line: 4, text: '[services.db]\ny = 2', truncated: false }]);
    expect(serviceBlocks(split, 'web')).toEqual([]);
  });

  it("shares the bound among a file's blocks: the one that reaches it is cut, none follow", () => {
    const long = `[services.a]\n${'x = "0123456789"\n'.repeat(MAX_BLOCK_CHARS / 20)}[services.b]\n`;
    const blocks = serviceBlocks(`${long}[services.a.more]\n${long.slice(long.indexOf('\n') + 1)}[services.a.last]\nz = 1\n`, 'a');
    expect(blocks.map((b) => b.truncated)).toEqual([false, true]);
    expect(blocks.reduce((sum, b) => sum + b.text.length, 0)).toBeLessThanOrEqual(MAX_BLOCK_CHARS);
  });
});

describe('headerPath', () => {
  it('reads table and array-of-tables headers, with a comment after; not keys or values', () => {
    expect(headerPath('[services.api.health_check.http] # probe')).toEqual(['services', 'api', 'health_check', 'http']);
    expect(headerPath('[[services.api.links]]')).toEqual(['services', 'api', 'links']);
    expect(headerPath('ports = [8080]')).toBeUndefined();
    expect(headerPath('[services.api')).toBeUndefined();
  });
});
