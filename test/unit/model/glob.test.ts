/** The watch patterns' glob matcher: `**`, `*`, `?`, `{a,b}`, `[abc]`, escapes, bases and pruning. */
import { describe, expect, it } from 'vitest';
import { formatIssue, parseRegistry } from '@shared/model';
import { compileGlob, globProblem, MAX_ALTERNATIVES, MAX_BRACE_GROUPS, MAX_PATTERN_LENGTH } from '@shared/model/glob';

const matches = (pattern: string, path: string) => compileGlob(pattern).matches(path);

describe('glob', () => {
  it('matches `**` across any number of segments, none included', () => {
    expect(matches('src/**', 'src/app.js')).toBe(true);
    expect(matches('src/**', 'src/a/b/c.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'src/x.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'src/a/b/x.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'src/a/b/x.js')).toBe(false);
    expect(matches('**/*.log', 'a.log')).toBe(true);
    expect(matches('**/*.log', 'deep/er/a.log')).toBe(true);
    expect(matches('src/**', 'lib/app.js')).toBe(false);
    expect(matches('a/**/b/**/c', 'a/x/b/y/z/c')).toBe(true);
    expect(matches('a/**/b/**/c', 'a/x/y/z/c')).toBe(false);
  });

  it('keeps `*` and `?` inside one segment', () => {
    expect(matches('src/*.js', 'src/app.js')).toBe(true);
    expect(matches('src/*.js', 'src/a/app.js')).toBe(false);
    expect(matches('src/?.js', 'src/a.js')).toBe(true);
    expect(matches('src/?.js', 'src/ab.js')).toBe(false);
    expect(matches('*', '.env')).toBe(true);
  });

  it('expands braces (nested, spanning segments) and reads classes and ranges', () => {
    expect(matches('src/*.{js,ts}', 'src/a.ts')).toBe(true);
    expect(matches('src/*.{js,ts}', 'src/a.css')).toBe(false);
    expect(matches('{src/a,lib}/x', 'src/a/x')).toBe(true);
    expect(matches('{src/a,lib}/x', 'lib/x')).toBe(true);
    expect(matches('a{b,c{d,e}}f', 'acef')).toBe(true);
    expect(matches('file[0-9].txt', 'file7.txt')).toBe(true);
    expect(matches('file[abc].txt', 'filed.txt')).toBe(false);
    expect(matches('file[!abc].txt', 'filed.txt')).toBe(true);
    expect(matches('file[!abc].txt', 'filea.txt')).toBe(false);
  });

  it('takes escaped characters literally and regexp characters as themselves', () => {
    expect(matches('a\\*b', 'a*b')).toBe(true);
    expect(matches('a\\*b', 'axb')).toBe(false);
    expect(matches('a+(b).c', 'a+(b).c')).toBe(true);
    expect(matches('a.c', 'abc')).toBe(false);
  });

  it('names the static base of each alternative: where watching starts', () => {
    expect(compileGlob('src/**').bases).toEqual(['src']);
    expect(compileGlob('./src/lib/*.ts').bases).toEqual(['src/lib']);
    expect(compileGlob('**/*.ts').bases).toEqual(['']);
    expect(compileGlob('{src,test}/**').bases).toEqual(['src', 'test']);
    expect(compileGlob('/abs/dir/**').bases).toEqual(['/abs/dir']);
    expect(compileGlob('../shared/*.js').bases).toEqual(['../shared']);
  });

  it('says which folders can hold a match, so others are never watched', () => {
    const glob = compileGlob('src/*/lib/*.ts');
    expect(glob.couldMatchBelow('src')).toBe(true);
    expect(glob.couldMatchBelow('src/a')).toBe(true);
    expect(glob.couldMatchBelow('src/a/lib')).toBe(true);
    expect(glob.couldMatchBelow('src/a/other')).toBe(false);
    expect(glob.couldMatchBelow('src/a/lib/deeper')).toBe(false);
    expect(glob.couldMatchBelow('docs')).toBe(false);
    expect(compileGlob('src/**').couldMatchBelow('src/x/y/z')).toBe(true);
  });

  it('refuses what is not a pattern, with a reason, and bounds the expansion', () => {
    expect(globProblem('src/[abc')).toBe('a `[` without its `]`');
    expect(globProblem('src/{a,b')).toBe('a `{` without its `}`');
    expect(globProblem('src/a}')).toBe('a `}` without its `{`');
    expect(globProblem('')).toBe('an empty pattern matches nothing');
    expect(globProblem('a\\')).toBe('a `\\` at the end escapes nothing');
    expect(globProblem('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}')).toBe(`expands to more than ${MAX_ALTERNATIVES} alternatives`);
    expect(globProblem('src/**/*.{js,ts}')).toBeUndefined();
  });

  it('matches long paths against many globstars without blowing up', () => {
    const path = Array.from({ length: 200 }, () => 'a').join('/');
    expect(matches('**/a/**/a/**/a/**/b', path)).toBe(false);
    expect(matches('**/a/**/a/**/a/**', path)).toBe(true);
  });

  it('bounds a pattern: its length and brace groups are refused with a reason, never thrown', () => {
    expect(globProblem(`src/${'a'.repeat(MAX_PATTERN_LENGTH)}`)).toBe(`longer than ${MAX_PATTERN_LENGTH} characters: name the folders it watches more briefly`);
    // Before: each group was a level of recursion, and thousands of them threw a RangeError out of the registry check.
    expect(globProblem('{a}'.repeat(5_000))).toMatch(/^longer than/);
    const groups = `more than ${MAX_BRACE_GROUPS} {…} groups: list the alternatives as patterns of their own`;
    expect(globProblem('{a}'.repeat(MAX_BRACE_GROUPS + 1))).toBe(groups);
    expect(globProblem(`${'{'.repeat(MAX_BRACE_GROUPS + 1)}a${'}'.repeat(MAX_BRACE_GROUPS + 1)}`)).toBe(groups);
    expect(globProblem('{a}'.repeat(MAX_BRACE_GROUPS))).toBeUndefined();
    expect(globProblem('\\{'.repeat(100))).toBeUndefined();
    const text = [
      '[services.api]',
      `watch = { paths = ["${'{a}'.repeat(5_000)}"] }`,
      '[services.api.deployment]',
      'mode = "binary"',
      'binary = { command = "node" }',
      '',
    ].join('\n');
    const { registry, issues } = parseRegistry(text, 'services.toml');
    expect(registry).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      `services.toml:2:20 services.api.watch.paths[0]: not a glob pattern: longer than ${MAX_PATTERN_LENGTH} characters: name the folders it watches more briefly`,
    ]);
  });

  it('matches many `*` in one segment without backtracking over the name again and again', () => {
    // Before: a RegExp of [^/]* runs, which backtracked name length ^ stars times on a near miss (it did not finish).
    const name = 'a'.repeat(255);
    expect(matches(`${'*a'.repeat(40)}*b`, name)).toBe(false);
    expect(matches(`${'*a'.repeat(40)}*`, name)).toBe(true);
    expect(matches('a***b', 'axyzb')).toBe(true);
    expect(matches('*.test.*', 'glob.test.ts')).toBe(true);
    expect(matches('*x*y', 'axbyc')).toBe(false);
    expect(matches('*[0-9]?', 'log12')).toBe(true);
    expect(matches('?', '😀')).toBe(true);
  });
});
