/** Rewriting one service's dependencies in registry text, leaving every other byte as it was. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { setDependencies } from '@shared/model/registry-dependency-edit';

const lines = (...rows: string[]) => rows.map((row) => `${row}\n`).join('');

describe('setDependencies', () => {
  it('replaces a one-line array', () => {
    const text = lines('[services.a]', 'order = 1', 'dependencies = ["b"]', 'ports = [1]');
    expect(setDependencies(text, 'a', ['b', 'c'])).toBe(lines('[services.a]', 'order = 1', 'dependencies = ["b", "c"]', 'ports = [1]'));
  });

  it('edits a multi-line array in place: its comments, one item a line and trailing commas stay', () => {
    const text = lines('[services.a]', 'dependencies = [', '  "b", # the database', '  # "c",', '  "d",', '] # why', 'order = 1');
    // An item alone on its line goes with its line (and its comment); a new one gets a line like the others.
    expect(setDependencies(text, 'a', ['b'])).toBe(lines('[services.a]', 'dependencies = [', '  "b", # the database', '  # "c",', '] # why', 'order = 1'));
    expect(setDependencies(text, 'a', ['b', 'd', 'e'])).toBe(
      lines('[services.a]', 'dependencies = [', '  "b", # the database', '  # "c",', '  "d",', '  "e",', '] # why', 'order = 1'),
    );
    expect(setDependencies(text, 'a', ['d'])).toBe(lines('[services.a]', 'dependencies = [', '  # "c",', '  "d",', '] # why', 'order = 1'));
  });

  it('rewrites the array on one line when the names are reordered, keeping the comment after it', () => {
    const text = lines('[services.a]', 'dependencies = [', '  "b", # the database', '  "d",', '] # why', 'order = 1');
    expect(setDependencies(text, 'a', ['d', 'b'])).toBe(lines('[services.a]', 'dependencies = ["d", "b"] # why', 'order = 1'));
  });

  it('keeps the spacing and quotes of a one-line array, and its trailing comment', () => {
    const text = lines('[services.a]', "  dependencies   =   [ 'b' ]   # b first", 'order = 1');
    expect(setDependencies(text, 'a', ['b', 'c'])).toBe(lines('[services.a]', `  dependencies   =   [ 'b', "c" ]   # b first`, 'order = 1'));
    expect(setDependencies(text, 'a', [])).toBe(lines('[services.a]', '  dependencies   =   [  ]   # b first', 'order = 1'));
  });

  it('handles strings holding ], # and quotes', () => {
    const text = lines('[services.a]', 'dependencies = ["a]b", \'c#d\', "e\\"]", """f]"""] # real # comment', 'order = 1');
    expect(setDependencies(text, 'a', ['x]', 'y#', 'z"'])).toBe(lines('[services.a]', 'dependencies = ["x]", "y#", "z\\""] # real # comment', 'order = 1'));
  });

  it('inserts a missing key after the table’s last key, before blank lines, comments and sub-tables', () => {
    const text = lines('[services.a]', 'description = "A"', 'order = 1', '', '# how it runs', '[services.a.deployment]', 'mode = "binary"');
    expect(setDependencies(text, 'a', ['b'])).toBe(
      lines('[services.a]', 'description = "A"', 'order = 1', 'dependencies = ["b"]', '', '# how it runs', '[services.a.deployment]', 'mode = "binary"'),
    );
  });

  it('inserts after a multi-line last value and its comment, right before the sub-table, with its indentation', () => {
    const text = lines('[services.a]', '  ports = [', '    1, # one', '  ] # ports', '[services.a.deployment]', 'mode = "binary"');
    expect(setDependencies(text, 'a', ['b', 'c'])).toBe(
      lines('[services.a]', '  ports = [', '    1, # one', '  ] # ports', '  dependencies = ["b", "c"]', '[services.a.deployment]', 'mode = "binary"'),
    );
  });

  it('inserts right after the header of an empty table, at the end of a file without a final newline', () => {
    const text = lines('[services.a] # nothing yet', '', '[services.b]', 'order = 1');
    expect(setDependencies(text, 'a', ['b'])).toBe(lines('[services.a] # nothing yet', 'dependencies = ["b"]', '', '[services.b]', 'order = 1'));
    expect(setDependencies('[services.b]\n[services.a]', 'a', ['b'])).toBe('[services.b]\n[services.a]\ndependencies = ["b"]');
  });

  it('finds quoted service headers', () => {
    const text = lines('[services."my-svc"]', 'order = 1', "[ services . 'other' ]", 'order = 2');
    expect(setDependencies(text, 'my-svc', ['other'])).toBe(
      lines('[services."my-svc"]', 'order = 1', 'dependencies = ["other"]', "[ services . 'other' ]", 'order = 2'),
    );
    expect(setDependencies(text, 'other', ['my-svc'])).toBe(
      lines('[services."my-svc"]', 'order = 1', "[ services . 'other' ]", 'order = 2', 'dependencies = ["my-svc"]'),
    );
  });

  it('keeps CRLF line breaks', () => {
    const text = '[services.a]\r\norder = 1\r\n\r\n[services.b]\r\ndependencies = [\r\n  "a",\r\n]\r\n';
    expect(setDependencies(text, 'a', ['c'])).toBe(
      '[services.a]\r\norder = 1\r\ndependencies = ["c"]\r\n\r\n[services.b]\r\ndependencies = [\r\n  "a",\r\n]\r\n',
    );
    expect(setDependencies(text, 'b', ['a', 'c'])).toBe('[services.a]\r\norder = 1\r\n\r\n[services.b]\r\ndependencies = [\r\n  "a",\r\n  "c",\r\n]\r\n');
  });

  it('writes [] when removing every dependency, and leaves a file without the key alone', () => {
    const text = lines('[services.a]', 'dependencies = ["b", "c"] # gone', '[services.b]', 'order = 1');
    expect(setDependencies(text, 'a', [])).toBe(lines('[services.a]', 'dependencies = [] # gone', '[services.b]', 'order = 1'));
    expect(setDependencies(text, 'b', [])).toBe(text);
  });

  it('never touches dependencies of sub-tables, other services, strings or comments', () => {
    const text = lines(
      '[services.a]',
      'description = "dependencies = [\\"x\\"]" # dependencies = ["y"]',
      "notes = '''",
      'dependencies = ["z"]',
      "'''",
      '',
      '[services.a.deployment]',
      'dependencies = ["x"]',
      '',
      '[services.b]',
      'dependencies = ["y"]',
    );
    const expected = lines(
      '[services.a]',
      'description = "dependencies = [\\"x\\"]" # dependencies = ["y"]',
      "notes = '''",
      'dependencies = ["z"]',
      "'''",
      'dependencies = ["b"]',
      '',
      '[services.a.deployment]',
      'dependencies = ["x"]',
      '',
      '[services.b]',
      'dependencies = ["y"]',
    );
    expect(setDependencies(text, 'a', ['b'])).toBe(expected);
  });

  it('refuses an unknown service', () => {
    expect(() => setDependencies(lines('[services.a]', 'order = 1'), 'nope', ['a'])).toThrow(
      'Cannot update the dependencies of "nope" automatically: the registry has no service named "nope". Edit the registry file by hand.',
    );
  });

  it('refuses services written with dotted keys, inline tables or only sub-tables', () => {
    const reason = 'it is not written as a [services.a] table (dotted keys or an inline table)';
    const message = `Cannot update the dependencies of "a" automatically: ${reason}. Edit the registry file by hand.`;
    expect(() => setDependencies(lines('[services]', 'a.order = 1', 'a.dependencies = ["b"]', 'b.order = 2'), 'a', ['b'])).toThrow(message);
    expect(() => setDependencies(lines('[services]', 'a = { order = 1 }', 'b = {}'), 'a', ['b'])).toThrow(message);
    expect(() => setDependencies(lines('services.a.order = 1'), 'a', [])).toThrow(message);
    expect(() => setDependencies(lines('[services.a.deployment]', 'mode = "binary"'), 'a', ['b'])).toThrow(message);
  });

  it('refuses invalid TOML and an edit that would not parse', () => {
    expect(() => setDependencies('[services.a\n', 'a', ['b'])).toThrow(/^Cannot update the dependencies of "a" automatically: the file is not valid TOML \(/);
    expect(() => setDependencies('[services.a]\n', 'a', ['\ud800'])).toThrow(
      'Cannot update the dependencies of "a" automatically: the edited file would not be valid TOML. Edit the registry file by hand.',
    );
  });

  it('changes only the target line of the demo registry', () => {
    const text = readFileSync(new URL('../../../config/demo.toml', import.meta.url), 'utf8');
    const before = text.split('\n');
    const replaced = setDependencies(text, 'web', ['api', 'indexer', 'cache']).split('\n');
    const at = before.indexOf('dependencies = ["api", "indexer"]');
    expect(at).toBeGreaterThan(0);
    expect(replaced).toEqual(before.with(at, 'dependencies = ["api", "indexer", "cache"]'));

    const inserted = setDependencies(text, 'orchestrator', ['cache']).split('\n');
    const after = before.indexOf('ports = [4701]') + 1;
    expect(inserted).toEqual([...before.slice(0, after), 'dependencies = ["cache"]', ...before.slice(after)]);
  });

  it('edits any written form of the array to any keep-some-then-append list, keeping every comment of a kept line', () => {
    const names = ['a1', 'b2', 'c3', 'd4', 'e5'];
    fc.assert(
      fc.property(
        fc.subarray(names, { minLength: 0 }),
        fc.boolean(),
        fc.boolean(),
        fc.subarray(['x1', 'y2'], { minLength: 0 }),
        fc.func(fc.boolean()),
        (current, multiLine, trailingComma, added, keep) => {
          const items = current.map((name, i) => (multiLine ? `  "${name}",${i % 2 ? ` # note ${name}` : ''}` : `"${name}"`));
          const array = multiLine ? `[\n${items.join('\n').replace(/,( #[^\n]*)?$/, trailingComma ? ',$1' : '$1')}\n]` : `[${items.join(', ')}]`;
          const text = `[services.x1]\n[services.y2]\n${names.map((n) => `[services.${n}]\n`).join('')}[services.s]\ndependencies = ${array}\n`;
          const next = [...current.filter((name) => keep(name)), ...added];
          const edited = setDependencies(text, 's', next);
          expect((parse(edited) as { services: { s: { dependencies: string[] } } }).services.s.dependencies).toEqual(next);
          for (const name of next.filter((n) => current.includes(n))) if (text.includes(`# note ${name}`)) expect(edited).toContain(`# note ${name}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
