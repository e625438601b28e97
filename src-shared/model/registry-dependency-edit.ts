/**
 * Rewrites one service's `dependencies` in registry TOML text, leaving every other byte as it was.
 * The UI's visual dependency editor writes back to the user's file, and a TOML serializer would
 * drop its comments and formatting; so this edits the text in place, then proves by parsing both
 * versions that nothing but `services.<name>.dependencies` changed. Pure: no Node, no DOM.
 */
import { parse } from 'smol-toml';
import { editStringArray } from './toml-array-edit';

type Table = Record<string, unknown>;

/** One top-level statement: a `[table]`, `[[array]]` header or a `key = value` line. */
interface Entry {
  readonly kind: 'table' | 'array' | 'key';
  readonly path: readonly string[];
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Where the statement's last line ends (its trailing comment included), before the line break. */
  readonly lineEnd: number;
}

/**
 * Sets `services.<service>.dependencies` to the given names. An existing array is edited in place
 * (toml-array-edit.ts: its comments and layout stay), or rewritten on one line when the new names
 * are not its items with some removed and others appended; a missing key is inserted after the
 * table's last key.
 * Throws, without a partial result, when the service's table isn't written as a
 * `[services.<name>]` header or the edit would change anything else.
 */
export function setDependencies(text: string, service: string, dependencies: readonly string[]): string {
  const fail = (why: string) => new Error(`Cannot update the dependencies of "${service}" automatically: ${why}. Edit the registry file by hand.`);
  let original: Table;
  try {
    original = parse(text);
  } catch (cause) {
    throw fail(`the file is not valid TOML (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  const services = original['services'];
  const table = isTable(services) ? services[service] : undefined;
  if (!isTable(table)) throw fail(`the registry has no service named "${service}"`);
  // Rewritten as names, `{ name, condition }` entries would lose their conditions without a word.
  const current = table['dependencies'];
  if (Array.isArray(current) && current.some((entry) => typeof entry !== 'string')) throw fail('its dependencies have conditions ({ name, condition })');

  const entries = scan(text);
  const header = entries.findIndex((e) => e.kind === 'table' && samePath(e.path, ['services', service]));
  if (header < 0) throw fail(`it is not written as a [services.${service}] table (dotted keys or an inline table)`);
  const next = entries.findIndex((e, k) => k > header && e.kind !== 'key');
  const own = entries.slice(header + 1, next < 0 ? entries.length : next);
  const existing = own.find((e) => samePath(e.path, ['dependencies']));
  const array = `[${dependencies.map((name) => JSON.stringify(name)).join(', ')}]`;

  let result: string;
  if (existing)
    result =
      text.slice(0, existing.valueStart) +
      (editStringArray(text.slice(existing.valueStart, existing.valueEnd), dependencies) ?? array) +
      text.slice(existing.valueEnd);
  else if (dependencies.length === 0)
    return text; // a missing key already means no dependencies
  else {
    const anchor = own.at(-1) ?? entries[header]!;
    const indent = text.slice(text.lastIndexOf('\n', anchor.start - 1) + 1, anchor.start);
    const newline = text.includes('\r\n') ? '\r\n' : '\n';
    const line = `${newline}${indent}dependencies = ${array}`;
    result = text.slice(0, anchor.lineEnd) + line + text.slice(anchor.lineEnd);
  }

  let edited: Table;
  try {
    edited = parse(result);
  } catch {
    throw fail('the edited file would not be valid TOML');
  }
  table['dependencies'] = [...dependencies];
  if (!deepEqual(original, edited)) throw fail('the edit would change more than the dependencies');
  return result;
}

/** The top-level statements of a document smol-toml has accepted, skipping strings and comments. */
function scan(text: string): Entry[] {
  const entries: Entry[] = [];
  let i = 0;
  const quote = () => text[i] === '"' || text[i] === "'";
  const spaces = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const comment = () => {
    if (text[i] === '#') while (i < text.length && text[i] !== '\r' && text[i] !== '\n') i++;
  };
  const trivia = () => {
    for (spaces(), comment(); text[i] === '\r' || text[i] === '\n'; spaces(), comment()) i++;
  };
  const lineEnd = () => (spaces(), comment(), i);
  const string = () => {
    const q = text[i]!;
    const delimiter = text.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
    for (i += delimiter.length; i < text.length && !text.startsWith(delimiter, i); ) i += text[i] === '\\' && q === '"' ? 2 : 1;
    i += delimiter.length;
    while (delimiter.length === 3 && text[i] === q) i++; // """a"""" ends with a quote
  };
  const value = (): void => {
    if (quote()) return string();
    const close = text[i] === '[' ? ']' : text[i] === '{' ? '}' : undefined;
    if (close) {
      for (i++, trivia(); i < text.length && text[i] !== close; trivia()) {
        if (quote() || text[i] === '[' || text[i] === '{') value();
        else i++;
      }
      i++;
      return;
    }
    while (i < text.length && !'#\r\n'.includes(text[i]!)) i++;
    while (text[i - 1] === ' ' || text[i - 1] === '\t') i--;
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      spaces();
      const start = i;
      if (quote()) {
        string();
        const raw = text.slice(start + 1, i - 1);
        parts.push(text[start] === "'" ? raw : unescape(raw));
      } else {
        while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
        parts.push(text.slice(start, i));
      }
      spaces();
      if (text[i] !== '.') return parts;
      i++;
    }
  };
  for (trivia(); i < text.length; trivia()) {
    const start = i;
    if (text[i] === '[') {
      const kind = text.startsWith('[[', i) ? 'array' : 'table';
      i += kind === 'array' ? 2 : 1;
      const path = key();
      i += kind === 'array' ? 2 : 1;
      entries.push({ kind, path, start, valueStart: i, valueEnd: i, lineEnd: lineEnd() });
    } else {
      const path = key();
      i++; // '='
      spaces();
      const valueStart = i;
      value();
      entries.push({ kind: 'key', path, start, valueStart, valueEnd: i, lineEnd: lineEnd() });
    }
  }
  return entries;
}

/** Basic-string key escapes are JSON's for every name a registry uses; anything else won't match. */
function unescape(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((part, k) => part === b[k]);

const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, k) => deepEqual(item, b[k]));
  if (!isTable(a) || !isTable(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}
