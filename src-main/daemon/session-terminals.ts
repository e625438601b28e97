/**
 * The terminals one connection has open: numbered for it, ended with it (no shell outlives the
 * face that asked for it). What a program writes is pushed in batches — at most ~60 messages a
 * second, each at most TERMINAL_LIMITS.chunkBytes — and when the connection's transport holds more
 * than it should (a slow browser behind the web host, a stopped CLI), the program's output is no
 * longer read until it drains: the program then blocks on its writes, as on a real terminal, and
 * nothing here grows without bound. Its end is pushed after the last of its output.
 */
import { pushed, type PushedMessage } from '@shared/contract/pushed';
import { bytesToBase64, TERMINAL_LIMITS } from '@shared/contract/terminal';
import { EngineError } from '../core/engine-errors';
import { endOf } from '../core/terminals/service-terminals';
import type { TerminalProcess } from '../core/terminals/terminal-process';

/** Terminals one connection may have open at once. */
export const MAX_TERMINALS = 16;
/** Bytes waiting in the transport above which output is no longer read, and below which it is again. */
const OUTPUT_HIGH_WATER = 1024 * 1024;
const OUTPUT_LOW_WATER = OUTPUT_HIGH_WATER / 4;
const FLUSH_EVERY_MS = 1000 / 60;
const DRAIN_POLL_MS = 20;

type Stream = 'stdout' | 'stderr';

/** Opens a terminal whose output goes to the given function. */
export type TerminalOpener = (output: (data: Buffer, stream: Stream) => void) => Promise<TerminalProcess>;

interface Open {
  readonly process: TerminalProcess;
  readonly flush: () => void;
}

/** The answer to an open that a hang-up of all (the connection's end, the setting turned off) overtook. */
export const HUNG_UP_WHILE_OPENING =
  'the terminal was hung up while it opened (its connection closed, or terminals were turned off): open it again once allowed';

export class SessionTerminals {
  #next = 1;
  #closed = false;
  /** Opens under way: they count against the limit from the start, so concurrent opens cannot pass it. */
  #opening = 0;
  /** Counts hang-ups of all: an open that one overtook does not survive it. */
  #generation = 0;
  readonly #open = new Map<number, Open>();
  readonly #kept = new Map<string, () => void>();

  constructor(
    private readonly push: (message: PushedMessage) => void,
    private readonly buffered: () => number,
  ) {}

  /** Opens a terminal; `stillAllowed`, asked once it has opened, may refuse it after all (a setting turned off meanwhile). */
  async open(opener: TerminalOpener, stillAllowed: () => Promise<boolean> = async () => true): Promise<{ id: number }> {
    if (this.#closed) throw new EngineError(HUNG_UP_WHILE_OPENING);
    if (this.#open.size + this.#opening >= MAX_TERMINALS) throw new EngineError(`at most ${MAX_TERMINALS} terminals per connection: close one first`);
    const id = this.#next++;
    const generation = this.#generation;
    const batch = new OutputBatch(id, this.push, this.buffered);
    this.#opening++;
    let process: TerminalProcess;
    let allowed: boolean;
    try {
      process = await opener((data, stream) => batch.add(data, stream));
      allowed = await stillAllowed().catch(() => false);
    } catch (error) {
      batch.stop();
      throw error;
    } finally {
      this.#opening--;
    }
    batch.source = process;
    // The connection ended, or all its terminals were hung up, while it opened: it does not outlive that.
    if (this.#closed || generation !== this.#generation || !allowed) {
      batch.stop();
      process.close();
      throw new EngineError(HUNG_UP_WHILE_OPENING);
    }
    this.#open.set(id, { process, flush: () => batch.flush() });
    void process.ended.then((end) => {
      batch.flush();
      batch.stop();
      this.#open.delete(id);
      const reason = end.reason ?? (end.code === null && end.signal === null ? endOf(end) : undefined);
      this.push(pushed.terminalExit({ id, code: end.code, signal: end.signal, ...(reason ? { reason } : {}) }));
    });
    return { id };
  }

  input(id: number, data: Buffer, end: boolean): void {
    const { process } = this.#get(id);
    if (data.length > 0) process.write(data);
    if (end) process.endInput();
  }

  resize(id: number, cols: number, rows: number): void {
    this.#get(id).process.resize(cols, rows);
  }

  close(id: number): void {
    this.#get(id).process.close();
  }

  /** Sets up, once per connection, what its end undoes (a settings subscription): `setup` returns the undoing. */
  keep(key: string, setup: () => () => void): void {
    if (!this.#kept.has(key)) this.#kept.set(key, setup());
  }

  /** Hangs up every terminal of the connection (its end, or a setting turned off). */
  closeAll(): void {
    this.#generation++;
    this.#open.forEach(({ process }) => process.close());
  }

  /** The connection ended. */
  end(): void {
    this.#closed = true;
    this.closeAll();
    this.#kept.forEach((undo) => undo());
    this.#kept.clear();
  }

  #get(id: number): Open {
    const found = this.#open.get(id);
    if (!found) throw new EngineError(`no open terminal ${id} on this connection (it has ended)`);
    return found;
  }
}

/** One terminal's output on its way: batched, split to the bound, and paused while the transport is full. */
class OutputBatch {
  source: TerminalProcess | undefined;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #stream: Stream = 'stdout';
  #timer: NodeJS.Timeout | undefined;
  #draining: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: number,
    private readonly push: (message: PushedMessage) => void,
    private readonly buffered: () => number,
  ) {}

  add(data: Buffer, stream: Stream): void {
    if (stream !== this.#stream) this.flush();
    this.#stream = stream;
    this.#chunks.push(data);
    this.#bytes += data.length;
    if (this.#bytes >= TERMINAL_LIMITS.chunkBytes) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_EVERY_MS);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#bytes === 0) return;
    const all = Buffer.concat(this.#chunks);
    this.#chunks = [];
    this.#bytes = 0;
    for (let at = 0; at < all.length; at += TERMINAL_LIMITS.chunkBytes) {
      const data = bytesToBase64(all.subarray(at, at + TERMINAL_LIMITS.chunkBytes));
      this.push(pushed.terminal({ id: this.id, data, ...(this.#stream === 'stderr' ? { stream: 'stderr' as const } : {}) }));
    }
    if (this.buffered() > OUTPUT_HIGH_WATER) this.#pause();
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#draining);
  }

  #pause(): void {
    if (this.#draining || !this.source) return;
    this.source.pause();
    this.#draining = setInterval(() => {
      if (this.buffered() > OUTPUT_LOW_WATER) return;
      clearInterval(this.#draining);
      this.#draining = undefined;
      this.source?.resume();
    }, DRAIN_POLL_MS);
  }
}
