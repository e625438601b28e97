/**
 * Terminal sessions into services, as contract methods and pushed messages: `terminalOpen` answers
 * an id; `terminalInput`, `terminalResize` and `terminalClose` act on it; what the program writes
 * arrives as `terminal` messages and its end as one `terminalExit`. A session belongs to the
 * connection that opened it: that connection's end ends it. Bytes cross as base64, both ways, so
 * a pipe (`services exec web -- cat file`) carries them exactly and a UTF-8 sequence split across
 * chunks is the terminal's to join. Every size is bounded here, where the messages are checked.
 *
 * `kind` says what the session is attached to: `exec` runs a new program beside the service (a
 * shell, or `cmd`); `attach` reaches the stdin/stdout of the service's own program (an
 * `interactive = true` binary service). Both then speak the same messages.
 */
import { z } from 'zod';

export const TERMINAL_KINDS = ['exec', 'attach'] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

export const TERMINAL_LIMITS = {
  /** Bytes of one input or output message (before base64): a paste is several messages. */
  chunkBytes: 64 * 1024,
  cols: 1_000,
  rows: 500,
  /** A command's words, and each word's length. */
  cmdWords: 256,
  cmdWordLength: 8 * 1024,
} as const;

/** Base64 of at most `bytes` bytes (4 characters per 3 bytes, padded). */
const base64Of = (bytes: number) =>
  z
    .string()
    .max(Math.ceil(bytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

const id = z.number().int().positive();
const size = { cols: z.number().int().min(1).max(TERMINAL_LIMITS.cols), rows: z.number().int().min(1).max(TERMINAL_LIMITS.rows) };

export const terminalOpenSchema = z.object({
  service: z.string().min(1),
  kind: z.enum(TERMINAL_KINDS).default('exec'),
  /** What to run (exec only); absent: the user's shell (binary) or the container's shell. */
  cmd: z.array(z.string().max(TERMINAL_LIMITS.cmdWordLength)).min(1).max(TERMINAL_LIMITS.cmdWords).optional(),
  /** false: plain pipes (stdout and stderr apart, stdin's end passed on) for scripts; true: a terminal. */
  tty: z.boolean().default(true),
  ...size,
});

export const terminalInputSchema = z.object({
  id,
  data: base64Of(TERMINAL_LIMITS.chunkBytes).default(''),
  /** The input has ended (a pipe's EOF; a terminal's is Ctrl-D in `data`). */
  end: z.boolean().default(false),
});

export const terminalResizeSchema = z.object({ id, ...size });
export const terminalCloseSchema = z.object({ id });

/** Output of a session, batched (at most TERMINAL_LIMITS.chunkBytes a message); `stderr` only without a tty. */
export const terminalMessageSchema = z.object({
  terminal: z.object({ id, data: base64Of(TERMINAL_LIMITS.chunkBytes), stream: z.literal('stderr').optional() }),
});
export type TerminalMessage = z.infer<typeof terminalMessageSchema>;

/** A session ended: the program's exit code or signal, and in words why when it was not the program (closed, the service stopped). */
export const terminalExitMessageSchema = z.object({
  terminalExit: z.object({ id, code: z.number().int().nullable(), signal: z.string().nullable(), reason: z.string().max(1_000).optional() }),
});
export type TerminalExitMessage = z.infer<typeof terminalExitMessageSchema>;

/** Which face a session serves: named in the service's log ("terminal opened by web"), and the web's terminals are a setting. */
export const SESSION_FACES = ['cli', 'desktop', 'web'] as const;
export type SessionFace = (typeof SESSION_FACES)[number];

/** What a web session is told when the setting is off: the setting by name, and where it can be changed. */
export const WEB_TERMINALS_OFF =
  'terminals are off in the browser (the setting webTerminals: they are a shell for whoever holds the page token): turn on Settings → "Terminals in the browser" in the desktop app, or run `provisioning settings web-terminals on`';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((char, value) => [char.charCodeAt(0), value]));

/** Bytes as base64 (here, in pure code, for both sides: the renderer and the owner). */
export function bytesToBase64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out.push(ALPHABET[a >> 2]!, ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!);
    out.push(b === undefined ? '=' : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!, c === undefined ? '=' : ALPHABET[c & 63]!);
  }
  return out.join('');
}

/** The bytes of a base64 text (as checked by the schemas above: characters outside the alphabet are skipped). */
export function base64ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor((text.replace(/=+$/, '').length * 3) / 4));
  let bits = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < text.length && at < bytes.length; i++) {
    const value = VALUES.get(text.charCodeAt(i));
    if (value === undefined) continue;
    held = (held << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (held >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Text typed into a terminal, as the UTF-8 bytes its program reads, in base64. */
export function textToBase64(text: string): string {
  const bytes: number[] = [];
  for (const char of text) {
    const point = char.codePointAt(0)!;
    if (point < 0x80) bytes.push(point);
    else if (point < 0x800) bytes.push(0xc0 | (point >> 6), 0x80 | (point & 63));
    else if (point < 0x10000) bytes.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
    else bytes.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 63), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
  }
  return bytesToBase64(Uint8Array.from(bytes));
}
