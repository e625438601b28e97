/**
 * The pure half of env files and overrides: the dotenv parser, `${…}` interpolation, the layered
 * merge with its origins, and the secret mask — each on the inputs people write and the ones that
 * break parsers (quotes left open, `__proto__`, a value that contains another).
 */
import { describe, expect, it } from 'vitest';
import { composeRegistry, formatIssue } from '@shared/model';
import { parseEnvFile } from '@shared/model/env-file';
import type { EnvFileRead } from '@shared/model/env-file-values';
import { interpolate } from '@shared/model/interpolate';
import { secretMask } from '@shared/model/secret-mask';

describe('env file syntax', () => {
  it('reads bare, quoted, exported and multi-line values; later lines win; comments are not data', () => {
    const parsed = parseEnvFile(
      [
        '\uFEFF# a comment',
        'A=plain value # a comment',
        'COLOR=#fff',
        "B='single $NOT ${EXPANDED} \\n'",
        'export C="line\\nbreak \\"quoted\\" \\$HOME"',
        'D="first',
        'second"',
        'EMPTY=',
        '  A = again  ',
        '',
      ].join('\r\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect({ ...parsed.values }).toEqual({
      A: 'again',
      COLOR: '#fff',
      B: 'single $NOT ${EXPANDED} \\n',
      C: 'line\nbreak "quoted" $HOME',
      D: 'first\nsecond',
      EMPTY: '',
    });
  });

  it('locates every bad line and reads the rest', () => {
    const parsed = parseEnvFile(['OK=1', 'no equals here', '1BAD=x', "Q='open", 'R="x" trailing', 'NUL=a\0b', 'LAST=2'].join('\n'));
    expect(parsed.problems).toEqual([
      { line: 2, column: 1, message: 'expected NAME=value (or a # comment)' },
      { line: 3, column: 1, message: 'not an environment variable name before = (letters, digits and _, not starting with a digit)' },
      { line: 4, column: 3, message: "unterminated single-quoted value: add the closing '" },
      { line: 5, column: 7, message: 'only a # comment may follow the closing quote' },
      { line: 6, column: 5, message: 'a NUL character cannot be in an environment variable: remove it' },
    ]);
    expect({ ...parsed.values }).toEqual({ OK: '1', LAST: '2' });
  });

  it('a name like __proto__ is a name like any other', () => {
    const parsed = parseEnvFile('__proto__=polluted\n');
    expect(Object.hasOwn(parsed.values, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('interpolation', () => {
  it('reads variables, applies defaults, keeps placeholders and $${', () => {
    const variables = { PORT: '8080', EMPTY: '' };
    expect(interpolate('${PORT} ${EMPTY:-d1} ${EMPTY-d2} ${UNSET:-d3} ${home}/x $${PORT}', variables)).toEqual({
      text: '8080 d1  d3 ${home}/x $${PORT}',
      unset: [],
      used: ['PORT', 'EMPTY'],
    });
    expect(interpolate('a${MISSING}b', variables)).toEqual({ text: 'ab', unset: ['MISSING'], used: [] });
  });
});

describe('overrides', () => {
  const base = [
    'env_files = [".env"]',
    '[services.api]',
    'ports = [8080]',
    'dependencies = ["db"]',
    '[services.api.deployment]',
    'mode = "binary"',
    'binary = { command = "api", args = ["--port", "${PORT}"], env = { MODE = "prod" } }',
    '[services.db]',
    '[services.db.deployment]',
    'mode = "binary"',
    'binary = { command = "db" }',
    '',
  ].join('\n');
  const files: Record<string, EnvFileRead> = { '.env': { file: '.env', text: 'PORT=8080\nTOKEN=tok-123456\n' } };
  const readEnvFile = (path: string): EnvFileRead => files[path] ?? { file: path, missing: true };

  it('tables merge, arrays and scalars replace, and each value is located in the file it came from', () => {
    const override = [
      '[services.api]',
      'ports = [9090]',
      '[services.api.deployment.binary]',
      'env = { MODE = "dev" }',
      'args = ["--port", "${NOPE}"]',
      '',
    ].join('\n');
    const result = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'services.local.toml', text: override },
      ],
      readEnvFile,
    });
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^services\.local\.toml:5:19 services\.api\.deployment\.binary\.args\[1\]: \$\{NOPE\} is not set: none of its env files sets it/),
    ]);

    const fixed = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'services.local.toml', text: override.replace('${NOPE}', '${PORT}') },
      ],
      readEnvFile,
    });
    const api = fixed.registry!.services.find((s) => s.name === 'api')!;
    expect(api.ports).toEqual([9090]);
    expect(api.dependencies).toEqual(['db']);
    expect(api.deployment.binary!.command).toBe('api');
    expect(api.deployment.binary!.args).toEqual(['--port', '8080']);
    // The engine's copy holds the env files' variables (the registry's env wins); the shown copy does not.
    expect(api.deployment.binary!.env).toEqual({ PORT: '8080', TOKEN: 'tok-123456', MODE: 'dev' });
    const shown = fixed.shown!.services.find((s) => s.name === 'api')!;
    expect(shown.deployment.binary!.env).toEqual({ MODE: 'dev' });
    expect(shown.fromEnvFiles).toBeUndefined();
    expect(fixed.overridden).toEqual([
      { service: 'api', key: 'ports', file: 'services.local.toml' },
      { service: 'api', key: 'deployment.binary.args', file: 'services.local.toml' },
      { service: 'api', key: 'deployment.binary.env.MODE', file: 'services.local.toml' },
    ]);
    expect(fixed.dependenciesFile).toEqual({ api: 'services.toml', db: 'services.toml' });
  });

  it('enabled = false takes a service out; what still depends on it says which file disabled it', () => {
    const result = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'mine.toml', text: '[services.db]\nenabled = false\n' },
      ],
      readEnvFile,
    });
    expect(result.issues.map(formatIssue)).toEqual([
      "services.toml:4:17 services.api.dependencies[0]: 'db' is disabled (enabled = false in mine.toml): write this list without it there too",
    ]);
    const fixed = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'mine.toml', text: '[services.db]\nenabled = false\n[services.api]\ndependencies = []\n' },
      ],
      readEnvFile,
    });
    expect(fixed.registry!.services.map((s) => s.name)).toEqual(['api']);
    expect(fixed.dependenciesFile).toEqual({ api: 'mine.toml' });
    expect(fixed.overridden).toContainEqual({ service: 'db', key: 'enabled', file: 'mine.toml', disabled: true });
    // An override that enables one again is a value it set, not a service it took out.
    const enabled = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'mine.toml', text: '[services.db]\nenabled = true\n' },
      ],
      readEnvFile,
    });
    expect(enabled.overridden).toEqual([{ service: 'db', key: 'enabled', file: 'mine.toml' }]);
  });

  it('an override cannot reach a prototype', () => {
    const result = composeRegistry({
      layers: [
        { file: 'services.toml', text: base },
        { file: 'o.toml', text: '[services.api.__proto__]\npolluted = true\n' },
      ],
      readEnvFile,
    });
    expect(result.registry).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^o\.toml:1:1 services\.api: unknown key "__proto__"|^o\.toml:1:1 services\.api\.__proto__/),
    ]);
  });
});

describe('secret mask', () => {
  it('masks secret values longest first, leaves short values and plain files alone', () => {
    const mask = secretMask({ values: { URL: 'postgres://u:pw-123456@db', PW: 'pw-123456', ON: 'on', PLAIN: 'visible-1' }, secret: ['URL', 'PW', 'ON'] });
    expect(mask('connect postgres://u:pw-123456@db with pw-123456, on visible-1')).toBe('connect ${URL} with ${PW}, on visible-1');
  });
});
