/**
 * A small glob matcher for watch patterns (Node 20 has no path.matchesGlob): `**` (any number of
 * path segments, none included), `*` and `?` (within one segment, never `/`), `[abc]`, `[a-z]`,
 * `[!abc]`, and `{a,b}` (expanded first, so an alternative may span segments). `\` escapes the next
 * character. Paths are `/`-separated. Matching is by segment with memo, and within a segment by
 * code point with one backtrack point (no RegExp), so no pattern backtracks more than
 * pattern × path; a pattern's length, brace groups and alternatives are bounded so a hostile one
 * cannot grow (or recurse) without bound.
 */

/** Alternatives one pattern may expand to: `{a,b}{c,d}` is 4. */
export const MAX_ALTERNATIVES = 256;
/** Characters of one pattern: a path pattern written by hand is far shorter. */
export const MAX_PATTERN_LENGTH = 1024;
/** `{` groups in one pattern (nested ones included): each is a level of the expansion's recursion. */
export const MAX_BRACE_GROUPS = 32;

/** One character of a segment (a literal, `?`, a `[class]`), or `*`: a run of any, never `/` (segments are split already). */
type Token = { readonly star: true } | { readonly star: false; readonly one: (char: string) => boolean };
type Segment = { readonly globstar: true } | { readonly globstar: false; readonly literal?: string; readonly tokens: readonly Token[] };

export interface Glob {
  readonly pattern: string;
  /** The longest leading part without glob characters, for each alternative: where watching starts. */
  readonly bases: readonly string[];
  /** The whole path matches. */
  matches(path: string): boolean;
  /** Some path below `dir` could match: a folder worth descending into. */
  couldMatchBelow(dir: string): boolean;
}

export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

/** Compiles `pattern`; throws GlobError with a reason when it is not a pattern (an unclosed `[` or `{`, too many alternatives). */
export function compileGlob(pattern: string): Glob {
  if (pattern.length === 0) throw new GlobError('an empty pattern matches nothing');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new GlobError(`longer than ${MAX_PATTERN_LENGTH} characters: name the folders it watches more briefly`);
  if (countUnescaped(pattern, '{') > MAX_BRACE_GROUPS)
    throw new GlobError(`more than ${MAX_BRACE_GROUPS} {…} groups: list the alternatives as patterns of their own`);
  const alternatives = expandBraces(pattern).map((text) => compileAlternative(text));
  return {
    pattern,
    bases: alternatives.map((alternative) => alternative.base),
    matches: (path) => {
      const parts = splitPath(path);
      return alternatives.some((alternative) => matchSegments(alternative.segments, parts, false));
    },
    couldMatchBelow: (dir) => {
      const parts = splitPath(dir);
      return alternatives.some((alternative) => matchSegments(alternative.segments, parts, true));
    },
  };
}

/** Why `pattern` is not a glob, or undefined when it is one; never throws (a registry check reports it where it is written). */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (error) {
    return error instanceof GlobError ? error.message : `cannot be read: ${(error as Error).message}`;
  }
}

const splitPath = (path: string): string[] => path.split('/').filter((part) => part !== '' && part !== '.');

/** `a{b,c{d,e}}f` → abf, acdf, acef; an escaped brace or comma stays as it is. */
function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open < 0) {
    if (findUnescaped(pattern, '}', 0) >= 0) throw new GlobError('a `}` without its `{`');
    return [pattern];
  }
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) {
      close = i;
      break;
    } else if (char === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) throw new GlobError('a `{` without its `}`');
  const cuts = [open, ...commas, close];
  const options = cuts.slice(1).map((end, i) => pattern.slice(cuts[i]! + 1, end));
  const head = pattern.slice(0, open);
  const tails = expandBraces(pattern.slice(close + 1));
  const out: string[] = [];
  for (const option of options) {
    for (const middle of expandBraces(option)) {
      for (const tail of tails) {
        out.push(head + middle + tail);
        if (out.length > MAX_ALTERNATIVES) throw new GlobError(`expands to more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return out;
}

function countUnescaped(text: string, char: string): number {
  let count = 0;
  for (let i = findUnescaped(text, char, 0); i >= 0; i = findUnescaped(text, char, i + 1)) count++;
  return count;
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

const GLOB_CHARS = /[*?[\\]/;

function compileAlternative(text: string): { segments: Segment[]; base: string } {
  const parts = text.split('/');
  const absolute = text.startsWith('/');
  const segments: Segment[] = [];
  const base: string[] = [];
  let literalSoFar = true;
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '**') {
      // `a/**/**/b` is `a/**/b`.
      if (!(segments.at(-1)?.globstar ?? false)) segments.push({ globstar: true });
      literalSoFar = false;
      continue;
    }
    const literal = GLOB_CHARS.test(part) ? undefined : part;
    segments.push({ globstar: false, ...(literal !== undefined ? { literal } : {}), tokens: segmentTokens(part) });
    if (literalSoFar && literal !== undefined) base.push(literal);
    else literalSoFar = false;
  }
  return { segments, base: (absolute ? '/' : '') + base.join('/') };
}

/** One segment's pattern as tokens, by code point; a run of `*` is one. */
function segmentTokens(part: string): Token[] {
  const chars = Array.from(part);
  const tokens: Token[] = [];
  const one = (test: (char: string) => boolean) => tokens.push({ star: false, one: test });
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\') {
      if (i + 1 >= chars.length) throw new GlobError('a `\\` at the end escapes nothing');
      const escaped = chars[++i]!;
      one((c) => c === escaped);
    } else if (char === '*') {
      if (!tokens.at(-1)?.star) tokens.push({ star: true });
    } else if (char === '?') one(() => true);
    else if (char === '[') {
      const end = chars.indexOf(']', i + 2);
      if (end < 0) throw new GlobError('a `[` without its `]`');
      const test = classRegExp(chars.slice(i + 1, end).join(''), part);
      one((c) => test.test(c));
      i = end;
    } else one((c) => c === char);
  }
  return tokens;
}

/** `[abc]`, `[a-z]`, `[!abc]` as a RegExp of one code point (a class alone never backtracks). */
function classRegExp(text: string, part: string): RegExp {
  const negated = text.startsWith('!') || text.startsWith('^');
  const body = negated ? text.slice(1) : text;
  if (body.length === 0) throw new GlobError('an empty `[]` matches nothing');
  try {
    return new RegExp(`^[${negated ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]$`, 'u');
  } catch {
    throw new GlobError(`'${part}' is not a valid pattern segment (check its [ranges])`);
  }
}

/** Does the segment's pattern match `text`: greedy, back to the last `*` on a mismatch — at most tokens × characters steps. */
function matchTokens(tokens: readonly Token[], text: string): boolean {
  const chars = Array.from(text);
  let t = 0;
  let c = 0;
  let starAt = -1;
  let starFrom = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.star) {
      starAt = t++;
      starFrom = c;
    } else if (token?.one(chars[c]!)) {
      t++;
      c++;
    } else if (starAt >= 0) {
      // The last `*` takes one character more.
      t = starAt + 1;
      c = ++starFrom;
    } else return false;
  }
  while (tokens[t]?.star) t++;
  return t === tokens.length;
}

/**
 * Does `segments` match `parts` — with `partial`, could it match `parts` followed by at least one
 * more segment? A table of (pattern index, path index) pairs tried, so every pair is visited once.
 */
function matchSegments(segments: readonly Segment[], parts: readonly string[], partial: boolean): boolean {
  const seen = new Set<number>();
  const width = parts.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (j === parts.length) {
      // The path is used up: a whole match needs the pattern used up too (a trailing ** takes nothing);
      // a partial one needs pattern left for the segment below.
      if (partial) return i < segments.length;
      return i === segments.length || (i === segments.length - 1 && segments[i]!.globstar);
    }
    if (i === segments.length) return false;
    const segment = segments[i]!;
    if (segment.globstar) return visit(i + 1, j) || visit(i, j + 1);
    const part = parts[j]!;
    const ok = segment.literal !== undefined ? segment.literal === part : matchTokens(segment.tokens, part);
    return ok && visit(i + 1, j + 1);
  };
  return visit(0, 0);
}
