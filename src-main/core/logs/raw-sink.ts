/**
 * The raw file a shim appends a service's output to, capped (log-caps.ts): a raw file holds at most
 * RAW_BACKLOG_BYTES of real disk blocks (the ingestor punches out what it took into the log); beyond
 * that, or past a full disk once HOLD_BYTES wait in memory, output is counted and replaced by one
 * drop marker. Never throws and never blocks its caller: used by the log shim (pipes) and the pty
 * shim (a terminal), both built alone, so it imports node built-ins and log-caps only.
 */
import { closeSync, existsSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';
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

export class RawSink {
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
