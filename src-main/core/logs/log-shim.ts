/**
 * The log shim: a tiny process between a binary service and the disk, as conmon is for containers.
 * The service's stdout and stderr are pipes (our fds 3 and 4) that this process drains into the raw
 * files, so output is kept while no manager runs — but never past a cap (Linux): a raw file holds at most
 * RAW_BACKLOG_BYTES of real disk blocks (the ingestor punches out what it took into the log), and
 * beyond that output is counted and replaced by one drop marker. A full disk is waited out with up
 * to HOLD_BYTES in memory. The pipes are always drained, so the service never blocks on its output
 * and never gets SIGPIPE. It carries no service markers and signals leave it alone: nothing stops or
 * adopts it, it ends when its pipes close, i.e. when the last process that could write them is gone.
 *
 * Usage: `node log-shim.js <raw stdout path> <raw stderr path>`, pipes on fds 3 and 4. Built alone
 * (scripts/build-cli.mjs) from node built-ins and log-caps only.
 */
import { fstatSync, openSync, writeSync } from 'node:fs';
import { Socket, type ConnectOpts, type SocketConstructorOpts } from 'node:net';
import { dropMarker, HOLD_BYTES, RAW_BACKLOG_BYTES, RAW_RELEASABLE, type DropReason } from './log-caps';

/** How soon a write waiting for the ingestor (backlog at its cap) or for disk space is tried again. */
const RETRY_MS = 50;
/** After its pipes closed, how long output held for a full disk is still tried before the shim gives up. */
const GIVE_UP_MS = 10_000;
/** A marker's length before it is written (its count is known only then). */
const MARKER_ROOM = 64;

type Held = Buffer | { dropped: number; reason: DropReason };

class RawSink {
  readonly #fd: number;
  readonly #queue: Held[] = [];
  #held = 0;
  /** Disk blocks of the raw file as last measured, plus what was written since. */
  #allocated: number;
  #endsLine = true;
  #retry: NodeJS.Timeout | undefined;
  #diskFull = false;
  #ended = false;
  #endedAt = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'a', 0o600);
    this.#allocated = this.#measure();
  }

  /** `chunk` is the pipe's read buffer, reused for the next read: written at once, or copied to be held. */
  accept(chunk: Buffer): void {
    if (!this.#retry && this.#queue.length === 0 && this.#fits(chunk.length)) {
      const written = this.#write(chunk);
      if (written === chunk.length) return;
      chunk = chunk.subarray(written);
    }
    if (this.#held + chunk.length > HOLD_BYTES) this.#drop(chunk.length, this.#diskFull ? 'disk-full' : 'backlog');
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
      // Cut short by a full disk: what was written stays written, the rest waits.
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
    if (!RAW_RELEASABLE || this.#allocated + length <= RAW_BACKLOG_BYTES) return true;
    this.#allocated = this.#measure();
    return this.#allocated + length <= RAW_BACKLOG_BYTES;
  }

  #measure(): number {
    return fstatSync(this.#fd).blocks * 512;
  }

  /** Bytes written: all of them, or fewer when the disk filled (retried later). */
  #write(bytes: Buffer): number {
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
      this.#diskFull = false;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
      this.#diskFull = true;
    }
    if (done > 0) {
      this.#allocated += done;
      this.#endsLine = bytes[done - 1] === 10;
    }
    return done;
  }
}

// A stop is the service's business: the process group and the markers reach it, never us.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

const [stdoutPath, stderrPath] = process.argv.slice(2);
if (!stdoutPath || !stderrPath) throw new Error('usage: log-shim <raw stdout> <raw stderr> (pipes on fds 3 and 4)');
for (const [fd, path] of [
  [3, stdoutPath],
  [4, stderrPath],
] as const) {
  const sink = new RawSink(path);
  // One read buffer per pipe, reused: a flood makes no garbage (the shim stays near node's own size).
  const buffer = Buffer.alloc(64 * 1024);
  const onread = { buffer, callback: (bytes: number) => (sink.accept(buffer.subarray(0, bytes)), true) };
  const pipe = new Socket({ fd, readable: true, writable: false, onread } as SocketConstructorOpts & ConnectOpts);
  pipe.once('close', () => sink.end());
  pipe.on('error', () => undefined); // a reset pipe is a closed one
}
