/**
 * A dotenv file (`.env`, `.env.local`) as teams write it: `NAME=value` lines, `export NAME=value`,
 * `#` comments, values bare (trimmed, ` # comment` cut), single-quoted (literal) or double-quoted
 * (`\n`, `\t`, `\r`, `\"`, `\\` and `\$` escapes; may span lines). Values are taken as written:
 * no `${…}` expansion inside the file. Every problem is located (line:col) and the rest of the file
 * is still read, so one typo does not hide the others; a NUL can never reach an environment.
 */

export interface EnvFileProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedEnvFile {
  /** Later lines win, as a shell would have it. */
  readonly values: Readonly<Record<string, string>>;
  readonly problems: readonly EnvFileProblem[];
}

/** Problems listed per file, at most: a binary file read as an env file stops here. */
const MAX_PROBLEMS = 20;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$' };

export function parseEnvFile(text: string): ParsedEnvFile {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const problems: EnvFileProblem[] = [];
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < all.length && problems.length < MAX_PROBLEMS; index++) {
    const line = index + 1;
    const raw = all[index]!;
    const problem = (column: number, message: string) => problems.push({ line, column, message });
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const exported = /^export\s+/.exec(body);
    const rest = exported ? body.slice(exported[0].length) : body;
    const at = indent + (exported ? exported[0].length : 0);
    const equals = rest.indexOf('=');
    if (equals < 0) {
      // The line is never quoted: an env file holds secrets, and this message is shown.
      problem(at + 1, 'expected NAME=value (or a # comment)');
      continue;
    }
    const name = rest.slice(0, equals).trimEnd();
    if (!NAME.test(name)) {
      problem(at + 1, 'not an environment variable name before = (letters, digits and _, not starting with a digit)');
      continue;
    }
    const valueAt = at + equals + 1;
    const value = readValue(rest.slice(equals + 1), all, index);
    if ('problem' in value) {
      // On a later line of a multi-line value, the offset counts from that line's start.
      if (value.line !== undefined && value.line !== index) problems.push({ line: value.line + 1, column: value.offset + 1, message: value.problem });
      else problem(valueAt + 1 + value.offset, value.problem);
      index = value.line ?? index;
      continue;
    }
    index = value.lastLine;
    if (value.text.includes('\0')) {
      problem(valueAt + 1, 'a NUL character cannot be in an environment variable: remove it');
      continue;
    }
    values[name] = value.text;
  }
  return { values, problems };
}

type ValueRead = { readonly text: string; readonly lastLine: number } | { readonly problem: string; readonly offset: number; readonly line?: number };

function readValue(written: string, all: readonly string[], index: number): ValueRead {
  const leading = written.length - written.trimStart().length;
  const value = written.trimStart();
  const quote = value[0];
  if (quote === "'") {
    const end = value.indexOf("'", 1);
    if (end < 0) return { problem: "unterminated single-quoted value: add the closing '", offset: leading };
    return afterQuote(value.slice(1, end), value.slice(end + 1), index, leading + end + 1);
  }
  if (quote === '"') return doubleQuoted(value.slice(1), all, index, leading);
  // A bare value ends at ` #` (a comment); inside a word `#` is data (`color=#fff`).
  const comment = /\s#/.exec(value);
  return { text: (comment ? value.slice(0, comment.index) : value).trim(), lastLine: index };
}

/** Reads up to the closing quote, across lines; `start` is where the value's quote is. */
function doubleQuoted(first: string, all: readonly string[], index: number, start: number): ValueRead {
  let text = '';
  let source = first;
  let line = index;
  for (;;) {
    for (let i = 0; i < source.length; i++) {
      const char = source[i]!;
      if (char === '\\' && i + 1 < source.length) {
        const escaped = ESCAPES[source[i + 1]!];
        text += escaped ?? `\\${source[i + 1]}`;
        i++;
      } else if (char === '"') {
        return afterQuote(text, source.slice(i + 1), line, line === index ? start + i + 2 : i + 1);
      } else text += char;
    }
    if (line + 1 >= all.length) return { problem: 'unterminated double-quoted value: add the closing "', offset: start };
    line += 1;
    text += '\n';
    source = all[line]!;
  }
}

/** After a closing quote only blanks or a comment may follow. */
function afterQuote(text: string, tail: string, lastLine: number, offset: number): ValueRead {
  const trimmed = tail.trimStart();
  if (trimmed !== '' && !trimmed.startsWith('#'))
    return {
      problem: 'only a # comment may follow the closing quote',
      offset: offset + tail.length - trimmed.length,
      line: lastLine,
    };
  return { text, lastLine };
}
