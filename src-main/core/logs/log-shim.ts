/**
 * The log shim: a tiny process between a binary service and the disk, as conmon is for containers.
 * The service's stdout and stderr are real pipes (FIFOs, so `/dev/stdout` can be reopened, which a
 * socket cannot) that this process drains into the raw files, so output is kept while no manager
 * runs — but never past a cap (Linux): a raw file holds at most RAW_BACKLOG_BYTES of real disk
 * blocks (the ingestor punches out what it took into the log), and beyond that output is counted
 * and replaced by one drop marker. A full disk, or any other write failure, is waited out with up
 * to HOLD_BYTES in memory, then counted the same way. The pipes are always drained, so the service
 * never blocks on its output and never gets SIGPIPE. It carries no service markers and signals leave
 * it alone: nothing stops or adopts it, it ends when its pipes close, i.e. when the last process that
 * could write them is gone.
 *
 * Usage: `node log-shim.js <raw stdout> <raw stderr> <stdout fifo> <stderr fifo>`. It opens the
 * FIFOs' read ends, says `ready` on its stdout, and starts reading once its stdin closes (the
 * manager opened the write ends and spawned the service — or died trying: then it reads an end of
 * file and exits). Built alone (scripts/build-cli.mjs) from node built-ins and log-caps only.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { Socket, type ConnectOpts, type SocketConstructorOpts } from 'node:net';
import { dropMarker, HOLD_BYTES, noPunchFlag, RAW_BACKLOG_BYTES, RAW_RELEASABLE, type DropReason } from './log-caps';

/** How soon a write waiting for the ingestor (backlog at its cap), for disk space or past an error is tried again. */
const RETRY_MS = 50;
/** After its pipes closed, how long output held for a full disk is still tried before the shim gives up. */
const GIVE_UP_MS = 10_000;
/** A marker's length before it is written (its count is known only then). */
const MARKER_ROOM = 64;
/** How often the raw file is checked for having been deleted or replaced (a stat per second at most). */
const RECHECK_MS = 1_000;

type Held = Buffer | { dropped: number; reason: DropReason };

class RawSink {
  #fd: number | undefined;
  #checkedAt = 0;
  readonly #queue: Held[] = [];
  #held = 0;
  /** Disk blocks of the raw file as last measured, plus what was written since. */
  #allocated = 0;
  /** The ingestor found it cannot punch holes here: blocks are not a backlog measure. */
  #unpunchable = false;
  #endsLine = true;
  #retry: NodeJS.Timeout | undefined;
  /** Why the last write failed; cleared by one that succeeds. */
  #failure: DropReason | undefined;
  #ended = false;
  #endedAt = 0;

  constructor(private readonly path: string) {}

  /** `chunk` is the pipe's read buffer, reused for the next read: written at once, or copied to be held. */
  accept(chunk: Buffer): void {
    if (this.#retry && this.#held + chunk.length > HOLD_BYTES) {
      // The hold is full: try the file now rather than at the next retry, or output made after it
      // became writable again would be dropped. One write attempt per read, at most 64 KiB apart.
      clearTimeout(this.#retry);
      this.#flush();
    }
    if (!this.#retry && this.#queue.length === 0 && this.#fits(chunk.length)) {
      const written = this.#write(chunk);
      if (written === chunk.length) return;
      chunk = chunk.subarray(written);
    }
    if (this.#held + chunk.length > HOLD_BYTES) this.#drop(chunk.length, this.#failure ?? 'backlog');
    else {
      this.#queue.push(Buffer.from(chunk));
      this.#held += chunk.length;
    }
    if (!this.#retry) this.#later();
  }

  /** The pipe closed: write what is held (past the cap if need be: at most HOLD_BYTES), then let the process end. */
  end(): void {
    this.#ended = true;
    this.#endedAt = Date.now();
    if (!this.#retry) this.#flush();
  }

  #drop(bytes: number, reason: DropReason): void {
    const last = this.#queue.at(-1);
    if (last && !Buffer.isBuffer(last) && last.reason === reason) last.dropped += bytes;
    else this.#queue.push({ dropped: bytes, reason });
  }

  #flush(): void {
    this.#retry = undefined;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (!this.#ended && !this.#fits(Buffer.isBuffer(head) ? head.length : MARKER_ROOM)) return this.#later();
      const bytes = Buffer.isBuffer(head) ? head : Buffer.from(dropMarker(head.dropped, head.reason, !this.#endsLine));
      const written = this.#write(bytes);
      if (written === bytes.length) {
        this.#queue.shift();
        if (Buffer.isBuffer(head)) this.#held -= bytes.length;
        continue;
      }
      // Cut short: what was written stays written, the rest waits.
      if (written > 0) {
        this.#queue[0] = bytes.subarray(written);
        this.#held += Buffer.isBuffer(head) ? -written : bytes.length - written;
      }
      if (this.#ended && Date.now() - this.#endedAt > GIVE_UP_MS) return;
      return this.#later();
    }
  }

  #later(): void {
    this.#retry = setTimeout(() => this.#flush(), RETRY_MS);
  }

  #fits(length: number): boolean {
    if (!RAW_RELEASABLE || this.#unpunchable || this.#allocated + length <= RAW_BACKLOG_BYTES) return true;
    this.#allocated = this.#measure();
    if (this.#allocated + length <= RAW_BACKLOG_BYTES) return true;
    // Only looked for at the cap: a flag file costs nothing while output flows.
    this.#unpunchable = existsSync(noPunchFlag(this.path));
    return this.#unpunchable;
  }

  #measure(): number {
    try {
      return this.#fd === undefined ? 0 : fstatSync(this.#fd).blocks * 512;
    } catch {
      return 0; // the write that follows fails and says why
    }
  }

  /** Bytes written: all of them, or fewer when a write failed (retried later). Never throws. */
  #write(bytes: Buffer): number {
    let done = 0;
    try {
      this.#reopenIfGone();
      if (this.#fd === undefined) {
        this.#fd = openSync(this.path, 'a', 0o600);
        this.#allocated = this.#measure();
      }
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
      this.#failure = undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      this.#failure = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : `error ${code.replace(/[^A-Z0-9_]/g, '').slice(0, 20) || 'UNKNOWN'}`;
    }
    if (done > 0) {
      this.#allocated += done;
      this.#endsLine = bytes[done - 1] === 10;
    }
    return done;
  }

  /** A raw file someone deleted or replaced is let go of, so output goes where the ingestor reads, not to a lost inode. */
  #reopenIfGone(): void {
    const now = Date.now();
    if (this.#fd === undefined || now - this.#checkedAt < RECHECK_MS) return;
    this.#checkedAt = now;
    const open = fstatSync(this.#fd);
    let named;
    try {
      named = statSync(this.path);
    } catch {
      named = undefined;
    }
    if (open.nlink > 0 && named?.ino === open.ino && named.dev === open.dev) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}

// A stop is the service's business: the process group and the markers reach it, never us.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

const [stdoutPath, stderrPath, stdoutFifo, stderrFifo] = process.argv.slice(2);
if (!stdoutPath || !stderrPath || !stdoutFifo || !stderrFifo) throw new Error('usage: log-shim <raw stdout> <raw stderr> <stdout fifo> <stderr fifo>');
const raws = [stdoutPath, stderrPath];
const fifos = [stdoutFifo, stderrFifo];
let reads: number[];
try {
  // Non-blocking: no writer is there yet. Reading waits for the manager (see below).
  reads = fifos.map((fifo) => openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
} catch (error) {
  writeSync(1, `error ${(error as Error).message}\n`);
  process.exit(1);
}
writeSync(1, 'ready\n');

let reading = false;
/** The manager holds our stdin until the service has its write ends: before that, a read would see an end of file. */
function startReading(): void {
  if (reading) return;
  reading = true;
  process.stdin.destroy();
  // Both ends are open (or never will be): the names are no longer needed, even if the manager died before removing them.
  for (const fifo of fifos) rmSync(fifo, { force: true });
  for (const [i, path] of raws.entries()) {
    const sink = new RawSink(path);
    // One read buffer per pipe, reused: a flood makes no garbage (the shim stays near node's own size).
    const buffer = Buffer.alloc(64 * 1024);
    const onread = { buffer, callback: (bytes: number) => (sink.accept(buffer.subarray(0, bytes)), true) };
    const pipe = new Socket({ fd: reads[i]!, readable: true, writable: false, onread } as SocketConstructorOpts & ConnectOpts);
    pipe.once('close', () => sink.end());
    pipe.on('error', () => undefined); // a reset pipe is a closed one
  }
}
process.stdin.on('data', () => undefined);
process.stdin.on('error', () => undefined);
process.stdin.once('end', startReading);
process.stdin.once('close', startReading);
