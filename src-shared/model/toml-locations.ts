/**
 * Where each table, key and array element of a TOML document is written, by key path.
 * smol-toml gives values but not their positions, and every registry error must name
 * file:line:col. The scanner assumes a document that smol-toml has already accepted.
 */
import type { KeyPath } from './registry-issue';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

type Segment = string | number;

/** Paths are kept as encoded strings, extended one segment at a time: the scan is linear in the text. */
const append = (key: string, part: Segment): string => `${key}\u0000${typeof part === 'number' ? `[${part}]` : part}`;
const encode = (path: readonly Segment[]): string => path.reduce<string>(append, '');

export class TomlLocations {
  readonly #positions: Map<string, SourcePosition>;

  /** Scans the text once, keeping the positions of the wanted paths and their ancestors. */
  constructor(text: string, wanted: Iterable<KeyPath>) {
    const keys = new Set<string>();
    for (const path of wanted) path.reduce<string>((key, part) => (keys.add((key = append(key, part))), key), '');
    this.#positions = new Scanner(text, keys).document();
  }

  /** Where the path is written, else where its nearest written ancestor is. */
  locate(path: KeyPath): SourcePosition {
    for (let length = path.length; length > 0; length--) {
      const position = this.#positions.get(encode(path.slice(0, length)));
      if (position) return position;
    }
    return { line: 1, column: 1 };
  }
}

class Scanner {
  #i = 0;
  #line = 1;
  #lineStart = 0;
  readonly #positions = new Map<string, SourcePosition>();
  /** Element counts of arrays of tables (`[[x]]`), so later headers resolve into the last element. */
  readonly #arrays = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly wanted: ReadonlySet<string>,
  ) {}

  document(): Map<string, SourcePosition> {
    let table = '';
    for (;;) {
      this.#skipTrivia();
      if (this.#i >= this.text.length) return this.#positions;
      const at = this.#here();
      if (this.text.startsWith('[[', this.#i)) {
        this.#i += 2;
        const key = this.#key();
        const base = append(this.#resolve(key.slice(0, -1), at), key[key.length - 1]!);
        const index = this.#arrays.get(base) ?? 0;
        this.#arrays.set(base, index + 1);
        this.#record(base, at);
        table = append(base, index);
        this.#record(table, at);
        this.#skipTo(']]');
      } else if (this.text[this.#i] === '[') {
        this.#i += 1;
        table = this.#resolve(this.#key(), at);
        this.#skipTo(']');
      } else {
        this.#keyValue(table);
      }
    }
  }

  /** `a.b.c = value`: the dotted parts define tables too, so each prefix is recorded. */
  #keyValue(table: string): void {
    const at = this.#here();
    let path = table;
    for (const part of this.#key()) this.#record((path = append(path, part)), at);
    this.#skipTo('=');
    this.#skipSpaces();
    this.#value(path);
  }

  #value(path: string): void {
    const c = this.text[this.#i];
    if (c === '"' || c === "'") return this.#string();
    if (c === '[') return this.#array(path);
    if (c === '{') return this.#inlineTable(path);
    while (this.#i < this.text.length && !',]}#\r\n'.includes(this.text[this.#i]!)) this.#i++;
  }

  #array(path: string): void {
    this.#i += 1;
    for (let index = 0; ; index++) {
      this.#skipTrivia();
      if (this.text[this.#i] === ']') break;
      const element = append(path, index);
      this.#record(element, this.#here());
      this.#value(element);
      this.#skipTrivia();
      if (this.text[this.#i] === ',') this.#i += 1;
    }
    this.#i += 1;
  }

  #inlineTable(path: string): void {
    this.#i += 1;
    for (;;) {
      this.#skipTrivia();
      if (this.text[this.#i] === '}') break;
      this.#keyValue(path);
      this.#skipTrivia();
      if (this.text[this.#i] === ',') this.#i += 1;
    }
    this.#i += 1;
  }

  /** A dotted key: bare, "basic" or 'literal' parts. */
  #key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.#skipSpaces();
      const start = this.#i;
      const c = this.text[this.#i];
      if (c === '"' || c === "'") {
        this.#string();
        const raw = this.text.slice(start + 1, this.#i - 1);
        parts.push(c === "'" ? raw : unescapeBasic(raw));
      } else {
        while (this.#i < this.text.length && /[A-Za-z0-9_-]/.test(this.text[this.#i]!)) this.#i++;
        parts.push(this.text.slice(start, this.#i));
      }
      this.#skipSpaces();
      if (this.text[this.#i] !== '.') return parts;
      this.#i += 1;
    }
  }

  #string(): void {
    const quote = this.text[this.#i]!;
    const multiline = this.text.startsWith(quote.repeat(3), this.#i);
    const delimiter = multiline ? quote.repeat(3) : quote;
    this.#i += delimiter.length;
    while (this.#i < this.text.length) {
      const c = this.text[this.#i]!;
      if (c === '\\' && quote === '"') {
        this.#i += 1;
        if (this.text[this.#i] === '\n') this.#newline();
      } else if (c === '\n') this.#newline();
      else if (this.text.startsWith(delimiter, this.#i)) {
        this.#i += delimiter.length;
        // A multi-line string may end with up to two quotes right before its delimiter.
        while (multiline && this.text[this.#i] === quote) this.#i += 1;
        return;
      }
      this.#i += 1;
    }
  }

  /** A header's path, recording each table it opens; an array of tables resolves to its last element. */
  #resolve(key: readonly string[], at: SourcePosition): string {
    let path = '';
    for (const part of key) {
      this.#record((path = append(path, part)), at);
      const count = this.#arrays.get(path);
      if (count !== undefined) path = append(path, count - 1);
    }
    return path;
  }

  #record(path: string, at: SourcePosition): void {
    if (this.wanted.has(path) && !this.#positions.has(path)) this.#positions.set(path, at);
  }

  #here(): SourcePosition {
    return { line: this.#line, column: this.#i - this.#lineStart + 1 };
  }

  #skipTo(token: string): void {
    this.#skipSpaces();
    this.#i += token.length;
  }

  #skipSpaces(): void {
    while (this.text[this.#i] === ' ' || this.text[this.#i] === '\t') this.#i++;
  }

  /** Spaces, comments and line breaks. */
  #skipTrivia(): void {
    for (;;) {
      this.#skipSpaces();
      const c = this.text[this.#i];
      if (c === '#') while (this.#i < this.text.length && this.text[this.#i] !== '\n') this.#i++;
      else if (c === '\r') this.#i += 1;
      else if (c === '\n') {
        this.#newline();
        this.#i += 1;
      } else return;
    }
  }

  #newline(): void {
    this.#line += 1;
    this.#lineStart = this.#i + 1;
  }
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

/** A basic string's escapes, TOML 1.1's \xHH and \e included. */
function unescapeBasic(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, code: string) =>
    code.length > 1 ? String.fromCodePoint(parseInt(code.slice(1), 16)) : (ESCAPES[code] ?? whole),
  );
}
