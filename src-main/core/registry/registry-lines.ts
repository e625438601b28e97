/** The lines of a text around one line, bounded (registry-lines contract): what a located issue's viewer shows. */
import { MAX_LINE_CHARS, type RegistryLines } from '@shared/contract/registry-lines';

export function linesOf(text: string, line: number, context: number): Pick<RegistryLines, 'firstLine' | 'lines' | 'lineCount'> {
  const all = text.split(/\r?\n/);
  // A trailing newline ends the last line; it does not start another.
  if (all.length > 1 && all.at(-1) === '') all.pop();
  // A line past the end (the file was edited since the issue was found) shows the end of the file.
  const at = Math.min(line, all.length);
  const firstLine = Math.max(1, at - context);
  const lines = all.slice(firstLine - 1, at + context).map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l));
  return { firstLine, lines, lineCount: all.length };
}
