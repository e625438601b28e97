/** Positions of keys, tables and array elements across the TOML syntax a registry can use. */
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { TomlLocations } from '@shared/model/toml-locations';

const at = (text: string, path: (string | number)[]) => {
  parse(text); // the scanner only sees documents smol-toml accepted
  const { line, column } = new TomlLocations(text, [path]).locate(path);
  return `${line}:${column}`;
};

describe('TomlLocations', () => {
  it('finds table headers and keys under them', () => {
    const text = '# comment\n[services.a]\n  order = 1\n\n[services.a.deployment]\nmode = "binary"\n';
    expect(at(text, ['services', 'a'])).toBe('2:1');
    expect(at(text, ['services', 'a', 'order'])).toBe('3:3');
    expect(at(text, ['services', 'a', 'deployment', 'mode'])).toBe('6:1');
  });

  it('finds dotted keys, quoted keys and inline tables', () => {
    const text = '[services.a]\ndeployment.mode = "binary"\n"quoted.key" = 1\nenv = { A = "1", \'B\' = { env = "X" } }\n';
    expect(at(text, ['services', 'a', 'deployment'])).toBe('2:1');
    expect(at(text, ['services', 'a', 'deployment', 'mode'])).toBe('2:1');
    expect(at(text, ['services', 'a', 'quoted.key'])).toBe('3:1');
    expect(at(text, ['services', 'a', 'env', 'B', 'env'])).toBe('4:26');
  });

  it('finds array elements across lines, comments and nested arrays', () => {
    const text = 'deps = [\n  "a", # first\n  "b",\n  [1, 2],\n]\nnext = 1\n';
    expect(at(text, ['deps', 1])).toBe('3:3');
    expect(at(text, ['deps', 2, 1])).toBe('4:7');
    expect(at(text, ['next'])).toBe('6:1');
  });

  it('keeps counting lines through multi-line strings and escapes', () => {
    const text = 'a = """\nline "1"\nline 2\\\n  """\nb = \'\'\'x\ny\'\'\'\nc = "quote \\" and # not a comment"\nd = 1\n';
    expect(at(text, ['b'])).toBe('5:1');
    expect(at(text, ['d'])).toBe('8:1');
  });

  it('resolves arrays of tables to their elements', () => {
    const text = '[[hooks]]\nname = "a"\n[[hooks]]\nname = "b"\n[hooks.extra]\nx = 1\n';
    expect(at(text, ['hooks', 1, 'name'])).toBe('4:1');
    expect(at(text, ['hooks', 1, 'extra', 'x'])).toBe('6:1');
  });

  it('falls back to the nearest written ancestor, then to the start', () => {
    const text = '[services.a.deployment.docker]\nports = []\n';
    expect(at(text, ['services', 'a', 'deployment', 'docker', 'image'])).toBe('1:1');
    expect(at('x = 1\n[t]\n', ['t', 'missing', 'deep'])).toBe('2:1');
    expect(at('x = 1\n', ['nothing'])).toBe('1:1');
  });

  it('handles CRLF line endings', () => {
    expect(at('a = 1\r\n[t]\r\nb = 2\r\n', ['t', 'b'])).toBe('3:1');
  });
});
