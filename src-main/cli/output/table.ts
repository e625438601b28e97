/** Plain aligned columns, as `docker ps` and `kubectl get` print them. */
import { visibleLength } from './palette';

export interface TableOptions {
  /** Terminal width: the last column is cut to fit when known. */
  readonly width?: number | undefined;
}

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => visibleLength(row[column] ?? ''))));
  return all
    .map((row) => {
      const line = row.map((cell, column) => (column === row.length - 1 ? cell : pad(cell, widths[column]!))).join('  ');
      return options.width && visibleLength(line) > options.width ? cut(line, options.width) : line;
    })
    .join('\n');
}

const pad = (cell: string, width: number): string => cell + ' '.repeat(width - visibleLength(cell));

/** Cuts to `width` visible characters, keeping escape sequences whole (and closing colors). */
function cut(line: string, width: number): string {
  let visible = 0;
  let result = '';
  // eslint-disable-next-line no-control-regex -- escape sequences are what this walks over
  for (const [piece] of line.matchAll(/\u001b\[[0-9;]*m|[^\u001b]/gu)) {
    if (piece.startsWith('\u001b')) result += piece;
    else if (visible++ < width - 1) result += piece;
  }
  return `${result}…${result.length > visibleLength(result) ? '\u001b[0m' : ''}`;
}
