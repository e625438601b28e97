/**
 * A service's blocks of a registry (or override) file, as the file has them: each run of lines from
 * a `[services.<name>]` or `[services.<name>.…]` header up to the next header of anything else — its
 * own sub-tables right after it (`[services.<name>.health_check]`) are part of that block, and one
 * placed elsewhere in the file is a block of its own. Pure and bounded: the text is scanned once,
 * multi-line strings are skipped (a `[services.x]` inside one is not a header), and the blocks of a
 * file share MAX_BLOCK_CHARS: the one that reaches it is cut at a line and says so, none follow.
 * Blank and comment lines right before the next header introduce that one and are left out.
 */

/** The service's text of one file, longer than this (a service with a huge inline script), is shown cut. */
export const MAX_BLOCK_CHARS = 64 * 1024;

export interface ServiceBlock {
  /** 1-based line of its first header. */
  readonly line: number;
  readonly text: string;
  readonly truncated: boolean;
}

/** In file order; none when the file has no header of the service (it is not there, or only as dotted keys of `[services]`). */
export function serviceBlocks(text: string, name: string): ServiceBlock[] {
  const lines = text.split('\n');
  const runs: { start: number; end: number }[] = [];
  let open: MultiLine = undefined;
  let start: number | undefined;
  for (const [index, line] of lines.entries()) {
    const path = open === undefined ? headerPath(line) : undefined;
    if (path) {
      const ours = path.length >= 2 && path[0] === 'services' && path[1] === name;
      if (start === undefined && ours) start = index;
      else if (start !== undefined && !ours) {
        runs.push({ start, end: index });
        start = undefined;
      }
    }
    open = scanLine(line, open);
  }
  if (start !== undefined) runs.push({ start, end: lines.length });
  const blocks: ServiceBlock[] = [];
  let room = MAX_BLOCK_CHARS;
  for (const run of runs) {
    const block = blockOf(lines, run.start, run.end, room);
    blocks.push(block);
    room -= block.text.length;
    if (block.truncated) break;
  }
  return blocks;
}

/** The lines start..end as a block, cut at a line when longer than `room`. */
function blockOf(lines: readonly string[], start: number, end: number, room: number): ServiceBlock {
  while (end > start + 1 && /^\s*(#.*)?\r?$/.test(lines[end - 1]!)) end -= 1;
  // The last line's CR belongs to the line break left out.
  const block = lines.slice(start, end).join('\n').replace(/\r$/, '');
  if (block.length <= room) return { line: start + 1, text: block, truncated: false };
  const cut = block.lastIndexOf('\n', room);
  return { line: start + 1, text: block.slice(0, cut > 0 ? cut : room), truncated: true };
}

/** The delimiter of a multi-line string still open at the end of a line. */
type MultiLine = '"""' | "'''" | undefined;

/** Where the line leaves multi-line strings: skips strings and stops at a comment. */
function scanLine(line: string, open: MultiLine): MultiLine {
  let i = 0;
  while (i < line.length) {
    if (open !== undefined) {
      const close = closingOf(line, i, open);
      if (close < 0) return open;
      i = close + 3;
      open = undefined;
      continue;
    }
    const char = line[i]!;
    if (char === '#') return undefined;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      open = line.slice(i, i + 3) as MultiLine;
      i += 3;
    } else if (char === '"' || char === "'") i = endOfString(line, i) + 1;
    else i += 1;
  }
  return open;
}

/** The index of the closing delimiter from `from` (basic strings skip escaped characters), or -1. */
function closingOf(line: string, from: number, delimiter: '"""' | "'''"): number {
  for (let i = from; i < line.length; i += 1) {
    if (delimiter === '"""' && line[i] === '\\') i += 1;
    else if (line.startsWith(delimiter, i)) {
      // """" closes with a quote inside: the last three quotes of the run close it.
      let last = i;
      while (line[last + 3] === delimiter[0] && last - i < 2) last += 1;
      return last;
    }
  }
  return -1;
}

/** The index of the quote that ends the one-line string opened at `at` (or the line's end). */
function endOfString(line: string, at: number): number {
  const quote = line[at];
  for (let i = at + 1; i < line.length; i += 1) {
    if (quote === '"' && line[i] === '\\') i += 1;
    else if (line[i] === quote) return i;
  }
  return line.length;
}

/** The key path of a `[a.b]` or `[[a.b]]` header line, or undefined when the line is not one. */
export function headerPath(line: string): string[] | undefined {
  let i = skipSpace(line, 0);
  if (line[i] !== '[') return undefined;
  const array = line[i + 1] === '[';
  i += array ? 2 : 1;
  const path: string[] = [];
  for (;;) {
    i = skipSpace(line, i);
    const key = keyAt(line, i);
    if (!key) return undefined;
    path.push(key.value);
    i = skipSpace(line, key.end);
    if (line[i] === '.') {
      i += 1;
      continue;
    }
    if (!line.startsWith(array ? ']]' : ']', i)) return undefined;
    return path;
  }
}

function keyAt(line: string, at: number): { value: string; end: number } | undefined {
  const quote = line[at];
  if (quote === '"' || quote === "'") {
    const end = endOfString(line, at);
    if (end >= line.length) return undefined;
    const raw = line.slice(at + 1, end);
    return { value: quote === '"' ? unescapeBasic(raw) : raw, end: end + 1 };
  }
  const bare = /^[A-Za-z0-9_-]+/.exec(line.slice(at));
  return bare ? { value: bare[0], end: at + bare[0].length } : undefined;
}

/** A basic string key's escapes (JSON's are TOML's, but for \U and \e, which no service name uses). */
function unescapeBasic(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function skipSpace(line: string, at: number): number {
  while (line[at] === ' ' || line[at] === '\t') at += 1;
  return at;
}
