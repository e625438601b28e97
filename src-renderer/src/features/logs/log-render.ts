/**
 * Held entries as terminal text and as the plain text of a download, by the view's display
 * options: one function for both, so what is downloaded is what is shown.
 */
import { cutToWidth, formatGap, formatLine, formatNote, markMatches, plainText, type FormatOptions } from './log-batcher';
import type { HeldEntry, LogStore } from './log-store';
import { MATCH_FILL, type ThemeName } from './log-terminal-theme';

export interface DisplayOptions {
  /** Merged view: the services in column order (each line gets its name as a tinted prefix). */
  readonly merged: readonly string[] | undefined;
  readonly timestamps: boolean;
  /** Undefined: lines wrap; a number: lines are cut to that many columns. */
  readonly cutAt: number | undefined;
  /** The filter's text as a pattern: its matches are lit in the theme's fill. */
  readonly highlight?: RegExp | undefined;
  readonly theme?: ThemeName | undefined;
}

function formatOptions(service: string, display: DisplayOptions): FormatOptions {
  const { merged, highlight } = display;
  const fill = MATCH_FILL[display.theme ?? 'light'];
  const common = { timestamps: display.timestamps, mark: highlight ? (text: string) => markMatches(text, highlight, fill) : undefined };
  if (!merged) return common;
  return { ...common, service, colourIndex: merged.indexOf(service), width: Math.max(0, ...merged.map((name) => name.length)) };
}

/** One entry as terminal text. */
export function renderEntry(entry: HeldEntry, display: DisplayOptions): string {
  if (entry.kind === 'note') return formatNote(entry.text);
  const options = formatOptions(entry.service, display);
  const text = entry.kind === 'gap' ? formatGap(entry.from, entry.to, options) : formatLine(entry.line, options);
  return display.cutAt === undefined ? text : cutToWidth(text, display.cutAt);
}

/** Every entry the store's query keeps, as terminal text, how many of them are log lines, and how many entries (terminal lines) in all. */
export function renderKept(store: LogStore, display: DisplayOptions): { text: string; lines: number; entries: number } {
  const parts: string[] = [];
  let lines = 0;
  for (const entry of store.kept()) {
    parts.push(renderEntry(entry, display));
    if (entry.kind === 'line') lines++;
  }
  return { text: parts.join(''), lines, entries: parts.length };
}

/** What is shown as plain text, lines whole (a download is not cut to the window). */
export function keptAsText(store: LogStore, display: DisplayOptions): string {
  return plainText(renderKept(store, { ...display, cutAt: undefined }).text);
}
