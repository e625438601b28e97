/**
 * A program running in a terminal session, whatever runs it (a PTY here, `docker exec`, the
 * Kubernetes exec API): bytes in, bytes out, a size, and an end. What each driver's `exec` gives.
 */
import { EngineError } from '../engine-errors';

/** What a terminal session runs: `cmd` (absent: a shell), in a terminal of that size or (tty false) over plain pipes. */
export interface TerminalRequest {
  readonly cmd?: readonly string[] | undefined;
  readonly tty: boolean;
  readonly cols: number;
  readonly rows: number;
  /** Everything the program writes, in order; `stderr` is apart only without a tty. */
  readonly output: (data: Buffer, stream: 'stdout' | 'stderr') => void;
}

export interface TerminalEnd {
  readonly code: number | null;
  readonly signal: string | null;
  /** Why, when the program's own code does not say it (the engine could not tell). */
  readonly reason?: string;
}

export interface TerminalProcess {
  /** Settles once the program has ended and all it wrote was given to `output`. */
  readonly ended: Promise<TerminalEnd>;
  /** Refused (an EngineError) while more than INPUT_QUEUE_LIMIT bytes wait for the program (writeBounded). */
  write(data: Buffer): void;
  /** The input has ended (a pipe's EOF). */
  endInput(): void;
  resize(cols: number, rows: number): void;
  /** Stops reading its output (the receiver is behind): the program then blocks on its writes, as on a real terminal. */
  pause(): void;
  resume(): void;
  /** Hangs up, as closing a terminal window does, and makes sure it ends (a stronger signal after a grace). */
  close(): void;
}

/** How long a hung-up program may take to end before it is killed. */
export const HANGUP_GRACE_MS = 2_000;

/** Input bytes that may wait for a program that is not reading it; beyond, input is refused, not queued without bound. */
export const INPUT_QUEUE_LIMIT = 1024 * 1024;

/** Writes input unless more than the bound already waits for the program: then refuses it, saying so. */
export function writeBounded(queued: number, write: () => void): void {
  if (queued > INPUT_QUEUE_LIMIT)
    throw new EngineError(
      `the program is not reading its input: ${Math.round(queued / 1024)} KiB already wait for it; input is refused until it reads some (or close the terminal)`,
    );
  write();
}
