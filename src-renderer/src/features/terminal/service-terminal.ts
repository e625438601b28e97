/**
 * One terminal session in the page, outside React: an xterm terminal (fit addon, the log view's
 * theme) bound to a contract terminal session (terminal.ts). Keys go to the program as they are
 * typed, its output is written as it comes (bytes: xterm joins split UTF-8), and the pane's size
 * follows the element — each fitted size is a resize of the program's terminal (`stty size`).
 * `kind` is `exec` (a shell beside the service) or `attach` (the service's own program): both
 * speak the same messages.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { base64ToBytes, TERMINAL_LIMITS, textToBase64, type TerminalKind } from '@shared/contract/terminal';
import type { ContractClient } from '../../api/contract-client';
import { MIN_CONTRAST, pageTheme } from '../logs/log-terminal';
import { THEMES } from '../logs/log-terminal-theme';

export interface TerminalEnd {
  readonly code: number | null;
  readonly signal: string | null;
  readonly reason?: string | undefined;
}

/** Characters of typed (or pasted) text per message: within the byte bound however it encodes (≤ 3 bytes a unit). */
const MAX_TYPED = Math.floor(TERMINAL_LIMITS.chunkBytes / 3);

export class ServiceTerminal {
  readonly #terminal: Terminal;
  readonly #fit = new FitAddon();
  readonly #resize: ResizeObserver;
  readonly #themeWatch: MutationObserver;
  readonly #unlisten: (() => void)[] = [];
  #id: number | undefined;
  /** Typed before the session opened: sent once it has. */
  #typedEarly = '';
  #ended = false;
  #disposed = false;

  constructor(
    element: HTMLElement,
    private readonly client: ContractClient,
    service: string,
    kind: TerminalKind,
    private readonly onEnd: (end: TerminalEnd) => void,
    onProblem: (message: string) => void,
  ) {
    this.#terminal = new Terminal({
      minimumContrastRatio: MIN_CONTRAST,
      scrollback: 5_000,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      theme: THEMES[pageTheme()],
    });
    this.#terminal.loadAddon(this.#fit);
    this.#terminal.open(element);
    this.#fit.fit();
    // Focused now, not once the session opens: what is typed meanwhile is held (#typedEarly), not sent to the button that opened it.
    this.#terminal.focus();
    this.#themeWatch = new MutationObserver(() => (this.#terminal.options.theme = THEMES[pageTheme()]));
    this.#themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    // What arrives before the open's answer is this session's (one open at a time per pane): held for it.
    const early: (() => void)[] = [];
    const mine = (id: number, then: () => void) => (this.#id === undefined ? early.push(() => this.#id === id && then()) : this.#id === id && then());
    this.#unlisten.push(
      client.onTerminal((output) => mine(output.id, () => this.#terminal.write(base64ToBytes(output.data)))),
      client.onTerminalExit((exit) => mine(exit.id, () => this.#end(exit))),
    );
    this.#terminal.onData((text) => this.#type(text));
    this.#terminal.onResize(({ cols, rows }) => {
      if (this.#id !== undefined && !this.#ended) void client.call('terminalResize', { id: this.#id, cols, rows }).catch(() => undefined);
    });
    // Fit in the next frame: fitting inside the observer's callback can re-trigger it.
    this.#resize = new ResizeObserver(() => requestAnimationFrame(() => this.#disposed || this.#fit.fit()));
    this.#resize.observe(element);
    client.call('terminalOpen', { service, kind, cols: this.#terminal.cols, rows: this.#terminal.rows }).then(
      ({ id }) => {
        if (this.#disposed) return void client.call('terminalClose', { id }).catch(() => undefined);
        this.#id = id;
        early.splice(0).forEach((then) => then());
        this.#type(this.#typedEarly);
        this.#typedEarly = '';
      },
      (error: Error) => {
        this.#ended = true;
        onProblem(error.message);
      },
    );
  }

  focus(): void {
    this.#terminal.focus();
  }

  /** Closes the session (the program is hung up) and the terminal. */
  dispose(): void {
    this.#disposed = true;
    if (this.#id !== undefined && !this.#ended) void this.client.call('terminalClose', { id: this.#id }).catch(() => undefined);
    this.#unlisten.forEach((unlisten) => unlisten());
    this.#resize.disconnect();
    this.#themeWatch.disconnect();
    this.#terminal.dispose();
  }

  #type(text: string): void {
    if (this.#ended) return;
    if (this.#id === undefined) {
      if (this.#typedEarly.length < TERMINAL_LIMITS.chunkBytes) this.#typedEarly += text;
      return;
    }
    for (let at = 0; at < text.length; ) {
      let end = Math.min(text.length, at + MAX_TYPED);
      // A surrogate pair stays in one message.
      if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
      void this.client.call('terminalInput', { id: this.#id, data: textToBase64(text.slice(at, end)) }).catch(() => undefined);
      at = end;
    }
  }

  #end(end: TerminalEnd): void {
    this.#ended = true;
    this.#terminal.options.cursorBlink = false;
    this.onEnd(end);
  }
}
