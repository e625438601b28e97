/**
 * What the log terminal writes, decided without a DOM: formatted lines wait here and leave at most
 * a frame's budget at a time; past a cap the oldest are dropped and replaced by one marker line, so
 * a 10 MB/s flood costs bounded memory and bounded work per frame, and the newest lines still show.
 */
import { isLifecycleFailure } from '@shared/contract/log-filter';
import type { ContractLogLine } from '@shared/contract/logs';

/**
 * Characters written per frame (UTF-16 units: what xterm parses, ≈ bytes for ASCII logs): ~2 MB/s,
 * far more than anyone reads, while leaving the main thread free (`npm run bench:ui`: at 256 KiB a
 * 10 MB/s flood took most of it and clicks waited).
 */
export const FRAME_BUDGET = 32 * 1024;
/** Characters waiting at most: about eight frames of work. */
export const MAX_PENDING_CHARS = 2 * 1024 * 1024;
/** Lines waiting at most: the terminal's scrollback, since older ones would scroll out unseen. */
export const MAX_PENDING_LINES = 5000;

export const RESET = '\x1b[0m';
/** Bright black, not SGR 2 (dim): a palette colour, so the terminal's minimum contrast lifts it in either theme. */
const MUTED = '\x1b[90m';
const RED = '\x1b[31m';
const EVENT = '\x1b[1;36m';
/** A lifecycle line whose state is not doing its job (failed, crash-loop, unhealthy, conflict). */
const FAILURE = '\x1b[1;31m';
const MARKER = '\x1b[1;33m';
/** Service tints (256 colours) that avoid the red, cyan and yellow of stderr, events and markers. */
export const SERVICE_COLOURS = ['38;5;114', '38;5;75', '38;5;176', '38;5;215', '38;5;147', '38;5;150', '38;5;110', '38;5;182'] as const;

const number = new Intl.NumberFormat('en-US');

export interface FormatOptions {
  /** Merged view: prefix each line with its service. */
  readonly service?: string | undefined;
  /** Which of SERVICE_COLOURS; by default one derived from the name. */
  readonly colourIndex?: number | undefined;
  /** Pad the service name to this width so the merged columns line up. */
  readonly width?: number | undefined;
  /** Show times in UTC rather than local time (tests, remote hosts). */
  readonly utc?: boolean | undefined;
  /** Each line's time before its text (the default). */
  readonly timestamps?: boolean | undefined;
  /** Lights the matches in a line's text (the text as the service wrote it; classified before). */
  readonly mark?: ((text: string) => string) | undefined;
}

/** A stable tint per name (FNV-1a), for when no index was given. */
export function serviceColourIndex(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SERVICE_COLOURS.length;
}

export function servicePrefix(options: FormatOptions): string {
  if (options.service === undefined) return '';
  const index = options.colourIndex ?? serviceColourIndex(options.service);
  const tint = SERVICE_COLOURS[((index % SERVICE_COLOURS.length) + SERVICE_COLOURS.length) % SERVICE_COLOURS.length];
  return `\x1b[${tint}m${options.service.padEnd(options.width ?? 0)}${RESET} ${MUTED}│${RESET} `;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** HH:MM:SS.mmm of an ISO time; an unparsable time is shown as it came. */
export function formatTime(iso: string, utc = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return utc
    ? `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
    : `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** One contract line as terminal text; the service's own escape sequences pass through untouched. */
export function formatLine(line: ContractLogLine, options: FormatOptions = {}): string {
  const text = options.mark ? options.mark(line.text) : line.text;
  const body =
    line.stream === 'evt'
      ? isLifecycleFailure(line)
        ? `${FAILURE}✖ ${text}${RESET}`
        : `${EVENT}● ${text}${RESET}`
      : line.stream === 'err'
        ? `${RED}${text}${RESET}`
        : text;
  const time = options.timestamps === false ? '' : `${MUTED}${formatTime(line.time, options.utc)}${RESET} `;
  return `${servicePrefix(options)}${time}${body}\r\n`;
}

// CSI (with its parameters), OSC (ended by BEL or ST), and the rest (ESC c, ESC 7, ESC ( B…).
// eslint-disable-next-line no-control-regex -- escape sequences are control characters
const ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])/g;

/**
 * Every match of `pattern` in `text` on a truecolour fill (`rgb`), the line's own colours kept;
 * text carrying escape sequences of its own is left as it is (a match could split one).
 */
export function markMatches(text: string, pattern: RegExp, rgb: readonly [number, number, number]): string {
  if (text.includes('\x1b')) return text;
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return text.replace(global, (match) => (match === '' ? match : `\x1b[48;2;${rgb.join(';')}m${match}\x1b[49m`));
}

/** Terminal text as plain text: escape sequences out, line ends as \n (a download, a copy). */
export function plainText(text: string): string {
  return text.replace(ESCAPE, '').replace(/\r\n/g, '\n');
}

/**
 * A formatted line cut to `columns` visible characters, with an ellipsis, escape sequences kept
 * (they take no column): the look of "no wrap", which xterm itself does not have. Each UTF-16 unit
 * counts as one column, close enough for log text.
 */
export function cutToWidth(text: string, columns: number): string {
  const lineEnd = text.endsWith('\r\n') ? '\r\n' : '';
  const body = text.slice(0, text.length - lineEnd.length);
  if (plainText(body).length <= columns) return text;
  let out = '';
  let visible = 0;
  let at = 0;
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(body); ; match = ESCAPE.exec(body)) {
    const end = match ? match.index : body.length;
    const room = columns - 1 - visible;
    const plain = body.slice(at, end);
    if (plain.length > room) return `${out}${plain.slice(0, Math.max(0, room))}${RESET}…${lineEnd}`;
    out += plain;
    visible += plain.length;
    if (!match) return `${out}${lineEnd}`;
    out += match[0];
    at = ESCAPE.lastIndex;
  }
}

/** The follow's own gap (`from`..`to` inclusive): the engine dropped them for this receiver. */
export function formatGap(from: number, to: number, options: FormatOptions = {}): string {
  const what = from === to ? `line ${number.format(from)} was` : `lines ${number.format(from)}–${number.format(to)} were`;
  return `${servicePrefix(options)}${MARKER}… ${what} not sent: the view could not keep up${RESET}\r\n`;
}

/** The batcher's own drop, naming the command that shows every line. */
export function formatSkipped(count: number, command: string): string {
  const what = count === 1 ? '1 line' : `${number.format(count)} lines`;
  return `${MARKER}… ${what} skipped to keep up — the log file keeps every line (${command})${RESET}\r\n`;
}

/** A problem of the view itself (a tail or follow that failed), inline where it happened. */
export function formatNote(text: string): string {
  return `${RED}\x1b[1m✖ ${text}${RESET}\r\n`;
}

export interface LogBatcherOptions {
  /** The CLI command named in the skip marker, e.g. `provisioning services logs api`. */
  readonly command: string;
  readonly frameBudget?: number;
  readonly maxPendingChars?: number;
  readonly maxPendingLines?: number;
}

export class LogBatcher {
  readonly command: string;
  private readonly frameBudget: number;
  private readonly maxChars: number;
  private readonly maxLines: number;
  // A queue with a moving head: shift() on a big array would make a flood quadratic.
  private texts: string[] = [];
  private counts: number[] = [];
  private head = 0;
  private chars = 0;
  private lines = 0;
  private dropped = 0;

  constructor(options: LogBatcherOptions) {
    this.command = options.command;
    this.frameBudget = options.frameBudget ?? FRAME_BUDGET;
    this.maxChars = options.maxPendingChars ?? MAX_PENDING_CHARS;
    this.maxLines = options.maxPendingLines ?? MAX_PENDING_LINES;
  }

  /** Lines waiting to be written (a gap marker counts as the lines it stands for). */
  get pending(): number {
    return this.lines;
  }

  /** Lines dropped and not yet reported by a marker. */
  get skipped(): number {
    return this.dropped;
  }

  /** Nothing to write: no entry waiting and no drop to report. */
  get idle(): boolean {
    return this.head === this.texts.length && this.dropped === 0;
  }

  /** A formatted line, or a marker standing for `count` lines (dropped as that many). */
  push(text: string, count = 1): void {
    this.texts.push(text);
    this.counts.push(count);
    this.chars += text.length;
    this.lines += count;
    // The newest entry always stays, even alone over the cap: something must show.
    while ((this.lines > this.maxLines || this.chars > this.maxChars) && this.texts.length - this.head > 1) this.dropped += this.take();
    this.compact();
  }

  /** The next frame's text: the skip marker first (it stands for the oldest lines), then whole lines within budget; '' when idle. */
  next(): string {
    const parts: string[] = [];
    let size = 0;
    if (this.dropped > 0) {
      parts.push(formatSkipped(this.dropped, this.command));
      size = parts[0]!.length;
      this.dropped = 0;
    }
    let taken = 0;
    while (this.head < this.texts.length) {
      const text = this.texts[this.head]!;
      // At least one line per frame, so a line over budget cannot stall the queue.
      if (taken > 0 && size + text.length > this.frameBudget) break;
      parts.push(text);
      size += text.length;
      taken++;
      this.take();
    }
    this.compact();
    return parts.join('');
  }

  clear(): void {
    this.texts = [];
    this.counts = [];
    this.head = this.chars = this.lines = this.dropped = 0;
  }

  private take(): number {
    const count = this.counts[this.head]!;
    this.chars -= this.texts[this.head]!.length;
    this.lines -= count;
    this.head++;
    return count;
  }

  /** Forgets taken entries once they are most of the array (amortised O(1) per line). */
  private compact(): void {
    if (this.head < 1024 && this.head < this.texts.length) return;
    if (this.head * 2 < this.texts.length) return;
    this.texts = this.texts.slice(this.head);
    this.counts = this.counts.slice(this.head);
    this.head = 0;
  }
}
