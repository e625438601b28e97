/**
 * Edits a TOML array of strings in its own text, so what the person wrote around the items —
 * comments, one item per line, spacing, a trailing comma — stays. Items that go are removed with
 * their comma (and their line, comment included, when they had one to themselves); new items are
 * appended after the last, in the array's style. Pure text work: the caller proves the result by
 * parsing it.
 */

interface Item {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** The array text with `next` as its items, or undefined when `next` is not "the current items, some removed, then new ones". */
export function editStringArray(array: string, next: readonly string[]): string | undefined {
  const items = scanItems(array);
  if (!items) return undefined;
  const kept = items.filter((item) => next.includes(item.value));
  const added = next.filter((value) => !items.some((item) => item.value === value));
  if (kept.map((item) => item.value).join('\n') !== next.slice(0, kept.length).join('\n')) return undefined;

  let text = array;
  for (const item of [...items].reverse().filter((i) => !next.includes(i.value))) text = removeItem(text, item);
  if (added.length === 0) return text;
  const remaining = scanItems(text)!;
  const quoted = added.map((value) => JSON.stringify(value));
  const last = remaining.at(-1);
  if (!last) return `[${quoted.join(', ')}${text.slice(1, -1).trim() === '' ? '' : text.slice(1, -1)}]`;
  const after = text.slice(last.end);
  const comma = /^\s*,/.exec(after);
  const lineStart = text.lastIndexOf('\n', last.start) + 1;
  const ownLine = lineStart > 0 && text.slice(lineStart, last.start).trim() === '';
  if (ownLine) {
    // One item per line: each new one on its own line, indented alike, with the array's trailing-comma habit.
    const indent = text.slice(lineStart, last.start);
    const newline = text.includes('\r\n') ? '\r\n' : '\n';
    const insertAt = comma ? last.end + comma[0].length : last.end;
    const lines = quoted.map((q, i) => `${newline}${indent}${q}${comma || i < quoted.length - 1 ? ',' : ''}`).join('');
    return text.slice(0, last.end) + (comma ? text.slice(last.end, insertAt) : ',') + lines + text.slice(insertAt);
  }
  return `${text.slice(0, last.end)}, ${quoted.join(', ')}${text.slice(last.end)}`;
}

function removeItem(text: string, item: Item): string {
  const lineStart = text.lastIndexOf('\n', item.start) + 1;
  const lineEnd = text.indexOf('\n', item.end);
  const rest = text.slice(item.end, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
  // Alone on its line (with its comma and a comment): the whole line goes.
  if (lineStart > 0 && lineEnd > 0 && text.slice(lineStart, item.start).trim() === '' && /^\s*,?\s*(#.*)?$/.test(rest))
    return text.slice(0, lineStart) + text.slice(lineEnd + 1);
  const following = /^\s*,[ \t]*/.exec(text.slice(item.end));
  if (following) return text.slice(0, item.start) + text.slice(item.end + following[0].length);
  // The last item: the comma before it goes with it.
  const preceding = /,\s*$/.exec(text.slice(0, item.start));
  return preceding ? text.slice(0, preceding.index) + text.slice(item.end) : text.slice(0, item.start) + text.slice(item.end);
}

/** The string items of `[...]` with where each is written; undefined for anything but an array of plain strings. */
function scanItems(array: string): Item[] | undefined {
  if (!array.startsWith('[') || !array.endsWith(']')) return undefined;
  const items: Item[] = [];
  for (let i = 1; i < array.length - 1; ) {
    const c = array[i]!;
    if (/[\s,]/.test(c)) i++;
    else if (c === '#') i = array.indexOf('\n', i) < 0 ? array.length - 1 : array.indexOf('\n', i);
    else if (c === '"' || c === "'") {
      if (array.startsWith(c.repeat(3), i)) return undefined; // multi-line strings: not a service name
      const end = closing(array, i, c);
      if (end < 0) return undefined;
      const raw = array.slice(i, end + 1);
      const value = c === '"' ? jsonString(raw) : raw.slice(1, -1);
      if (value === undefined) return undefined;
      items.push({ value, start: i, end: end + 1 });
      i = end + 1;
    } else return undefined;
  }
  return items;
}

function closing(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** A basic string whose escapes JSON shares (service names need no others); undefined otherwise. */
function jsonString(raw: string): string | undefined {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return undefined;
  }
}
