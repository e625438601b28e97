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

/** Cuts plain text; a colored line is left whole rather than cut through an escape sequence. */
function cut(line: string, width: number): string {
  return visibleLength(line) === line.length ? `${line.slice(0, width - 1)}…` : line;
}
