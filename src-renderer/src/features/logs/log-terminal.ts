/**
 * The one place log text goes: an xterm terminal fed by a LogBatcher, a frame's budget at a time,
 * and the next chunk only once xterm has parsed the previous one (its own flow control). React
 * never holds log data; the view reads `stats()` for its status line.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LogBatcher } from './log-batcher';

export const SCROLLBACK = 5000;

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

const cssVar = (element: HTMLElement, name: string, fallback: string) => getComputedStyle(element).getPropertyValue(name).trim() || fallback;

export class LogTerminal {
  private readonly terminal: Terminal;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private readonly resize: ResizeObserver;
  private batcher: LogBatcher;
  private frame: number | undefined;
  private writing = false;
  private paused = false;
  private disposed = false;
  private written = 0;
  private skipped = 0;

  constructor(element: HTMLElement, batcher: LogBatcher) {
    this.batcher = batcher;
    this.terminal = new Terminal({
      scrollback: SCROLLBACK,
      disableStdin: true, // a log, not a shell: keys never reach a process
      convertEol: true, // a bare \n inside a service's text still starts a new line
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 12,
      theme: { background: cssVar(element, '--bg', '#111418'), foreground: cssVar(element, '--fg', '#d8dee9') },
    });
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

  /** Starts over with a new batcher (another service): empties the screen and the counts. */
  reset(batcher: LogBatcher): void {
    this.batcher = batcher;
    this.terminal.write(RESET_TERMINAL); // in the write queue: no chunk still in flight lands after it
    this.written = this.skipped = 0;
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

  findNext(term: string): boolean {
    return this.search.findNext(term, { caseSensitive: false });
  }

  findPrevious(term: string): boolean {
    return this.search.findPrevious(term, { caseSensitive: false });
  }

  focus(): void {
    this.terminal.focus();
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.terminal.dispose();
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
