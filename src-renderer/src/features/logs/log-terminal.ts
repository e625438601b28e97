/**
 * The one place log text goes: an xterm terminal fed by a LogBatcher, a frame's budget at a time,
 * and the next chunk only once xterm has parsed the previous one (its own flow control). React
 * never holds log data; the view reads `stats()` for its status line. Colours follow the page's
 * theme (light or dark), with a minimum contrast xterm enforces per cell. Matches are lit in the
 * text itself (log-render.ts), in MATCH_FILL of the theme; Enter moves a selection between them.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LogBatcher } from './log-batcher';
import { MAX_HELD } from './log-store';
import { THEMES, type ThemeName } from './log-terminal-theme';

/** As many rows as the view holds lines, so a rewrite from the store shows all of them. */
export const SCROLLBACK = MAX_HELD;
/** WCAG AA for text: xterm lifts any colour (a service's own, the 256-colour tints) to this against its background. */
export const MIN_CONTRAST = 4.5;

export const pageTheme = (): ThemeName => (document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light');

export interface Highlight {
  readonly term: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
}

export interface LogTerminalStats {
  readonly paused: boolean;
  /** Lines written to the terminal since the last clear. */
  readonly written: number;
  /** Lines held by the batcher, not yet written. */
  readonly waiting: number;
  /** Lines the batcher dropped since the last clear. */
  readonly skipped: number;
}

/** A full reset (RIS: screen and scrollback), then the cursor hidden: a log has no prompt. */
const RESET_TERMINAL = '\x1bc\x1b[?25l';

export class LogTerminal {
  private readonly terminal: Terminal;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private readonly resize: ResizeObserver;
  private readonly themeWatch: MutationObserver;
  private theme: ThemeName = pageTheme();
  private highlight: Highlight | undefined;
  private batcher: LogBatcher;
  private frame: number | undefined;
  private writing = false;
  private paused = false;
  private disposed = false;
  private written = 0;
  private skipped = 0;

  /** `onColumns`: the width changed (a view that cuts lines to it rewrites them); `onTheme`: the page's theme changed (matches are lit in its colours). */
  constructor(
    element: HTMLElement,
    batcher: LogBatcher,
    onColumns: (columns: number) => void = () => undefined,
    private readonly onTheme: (theme: ThemeName) => void = () => undefined,
  ) {
    this.batcher = batcher;
    this.terminal = new Terminal({
      minimumContrastRatio: MIN_CONTRAST,
      scrollback: SCROLLBACK,
      disableStdin: true, // a log, not a shell: keys never reach a process
      convertEol: true, // a bare \n inside a service's text still starts a new line
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 12,
      theme: THEMES[this.theme],
    });
    this.terminal.onResize(({ cols }) => onColumns(cols));
    // The app sets data-theme on <html> (and resolves `system`): follow it.
    this.themeWatch = new MutationObserver(() => this.applyTheme());
    this.themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.terminal.loadAddon(this.fit);
    this.terminal.loadAddon(this.search);
    this.terminal.loadAddon(new WebLinksAddon());
    this.terminal.open(element);
    this.terminal.write(RESET_TERMINAL);
    // Fit in the next frame: fitting inside the observer's callback can re-trigger it.
    this.resize = new ResizeObserver(() => requestAnimationFrame(() => this.disposed || this.fit.fit()));
    this.resize.observe(element);
    this.fit.fit();
  }

  /** A formatted line (or a marker standing for `count` lines). */
  append(text: string, count = 1): void {
    this.batcher.push(text, count);
    this.schedule();
  }

  get columns(): number {
    return this.terminal.cols;
  }

  /** Starts over with a new batcher (another service): empties the screen and the counts. */
  reset(batcher: LogBatcher): void {
    this.batcher = batcher;
    this.terminal.write(RESET_TERMINAL); // in the write queue: no chunk still in flight lands after it
    this.written = this.skipped = 0;
  }

  get themeName(): ThemeName {
    return this.theme;
  }

  /**
   * Everything shown, written again (another filter, older lines, other columns): one write that
   * xterm parses in slices of its own, so the page stays responsive; what waited in the batcher is
   * part of `text` and is dropped.
   */
  rewrite(text: string, lines: number): void {
    this.batcher.clear();
    this.written = lines;
    this.skipped = 0;
    this.writing = true;
    this.terminal.clearSelection();
    this.terminal.write(RESET_TERMINAL + text, () => {
      this.writing = false;
      if (!this.batcher.idle) this.schedule();
    });
  }

  /**
   * Brings the `index`-th of the `count` entries last written (a rewrite) into view, a third of the
   * way down, once xterm has parsed what is queued; `select`: that line becomes the selection too
   * (themed, so visible in both themes) until the next click. Counted from the bottom, as xterm lets
   * go of its oldest rows when wrapped lines outnumber its scrollback.
   */
  reveal(index: number, count: number, select: boolean): void {
    this.terminal.write('', () => {
      if (this.disposed) return;
      const buffer = this.terminal.buffer.active;
      let row = buffer.baseY + buffer.cursorY; // the empty row after the last line
      for (let back = count - index; back > 0 && row > 0; ) if (!buffer.getLine(--row)?.isWrapped) back--;
      let end = row;
      while (buffer.getLine(end + 1)?.isWrapped) end++;
      this.terminal.scrollToLine(Math.max(0, row - Math.floor(this.terminal.rows / 3)));
      if (select) this.terminal.selectLines(row, end);
    });
  }

  /** What Enter and Shift+Enter move between (undefined: nothing). */
  setHighlight(highlight: Highlight | undefined): void {
    this.highlight = highlight;
    if (!highlight) this.terminal.clearSelection();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  clear(): void {
    this.batcher.clear();
    this.terminal.write(RESET_TERMINAL);
    this.written = this.skipped = 0;
  }

  stats(): LogTerminalStats {
    return { paused: this.paused, written: this.written, waiting: this.batcher.pending, skipped: this.skipped + this.batcher.skipped };
  }

  /** The selection if there is one, else every line the terminal holds; resolves to what was copied. */
  async copy(): Promise<string> {
    const text = this.terminal.hasSelection() ? this.terminal.getSelection() : this.allText();
    await navigator.clipboard.writeText(text);
    return text;
  }

  /** The next match below the selection (or from the top); false when there is none. */
  findNext(): boolean {
    if (this.highlight === undefined) return false;
    return this.search.findNext(this.highlight.term, this.searchOptions(this.highlight));
  }

  findPrevious(): boolean {
    if (this.highlight === undefined) return false;
    return this.search.findPrevious(this.highlight.term, this.searchOptions(this.highlight));
  }

  focus(): void {
    this.terminal.focus();
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.themeWatch.disconnect();
    this.terminal.dispose();
  }

  /** The match as the selection (themed, visible in both); no decorations: see MATCH_FILL. */
  private searchOptions(highlight: Highlight): ISearchOptions {
    return { regex: highlight.regex, caseSensitive: highlight.caseSensitive };
  }

  private applyTheme(): void {
    const next = pageTheme();
    if (next === this.theme || this.disposed) return;
    this.theme = next;
    this.terminal.options.theme = THEMES[next];
    this.onTheme(next);
  }

  private schedule(): void {
    if (this.disposed || this.paused || this.writing || this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => this.tick());
  }

  private tick(): void {
    this.frame = undefined;
    if (this.disposed || this.paused) return;
    const before = this.batcher.pending;
    this.skipped += this.batcher.skipped;
    const chunk = this.batcher.next();
    if (chunk === '') return;
    this.written += before - this.batcher.pending;
    this.writing = true;
    this.terminal.write(chunk, () => {
      this.writing = false;
      if (!this.batcher.idle) this.schedule();
    });
  }

  /** Wrapped rows joined back into their lines; trailing empty rows left out. */
  private allText(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const row = buffer.getLine(i);
      if (!row) continue;
      const text = row.translateToString(!buffer.getLine(i + 1)?.isWrapped); // keep spaces where a row wraps
      if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines.join('\n');
  }
}
