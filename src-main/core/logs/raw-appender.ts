/**
 * Appends what the owner itself follows (a container's or a pod's log) to a service's raw file,
 * within the same backlog cap the log shim keeps for binary services. Unlike a binary service's
 * output, this output is kept elsewhere too (Docker's or the kubelet's log), so at the cap the
 * follow waits — `write` settles once the ingestor has released space — instead of dropping: the
 * home stays bounded and no line is lost. Writes also wait on the file stream's own backpressure,
 * so a slow disk never makes this process buffer without bound.
 */
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { noPunchFlag, RAW_BACKLOG_BYTES, RAW_RELEASABLE } from './log-caps';

/** The allocated size is looked at once this much was written since the last look: a stat per MiB. */
const CHECK_EVERY_BYTES = 1024 * 1024;
/** While at the cap, how often the ingestor's release is looked for. */
const WAIT_MS = 100;

export class RawAppender {
  readonly #file: WriteStream;
  #sinceCheck = 0;
  #closed = false;

  constructor(private readonly path: string) {
    this.#file = createWriteStream(path, { flags: 'a', mode: 0o600 });
    // A write error (a full disk) is the ingestor's and the warning's to report; the follow goes on.
    this.#file.on('error', () => undefined);
  }

  /** Appends `text`; settles when more may be written. */
  async write(text: string): Promise<void> {
    if (this.#closed) return;
    if (!this.#file.write(text)) await this.#drained();
    this.#sinceCheck += Buffer.byteLength(text);
    if (this.#sinceCheck < CHECK_EVERY_BYTES) return;
    this.#sinceCheck = 0;
    while (!this.#closed && this.#atCap()) await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }

  /** Settles once what was written is in the file (or the stream failed): a writer that must come before another can wait. */
  end(): Promise<void> {
    this.#closed = true;
    return new Promise((resolve) => {
      this.#file.once('close', resolve);
      this.#file.end();
    });
  }

  /** The stream took what it held (or closed: a write error ends it, and nothing more is waited for). */
  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#file.off('drain', done).off('close', done);
        resolve();
      };
      this.#file.on('drain', done).on('close', done);
    });
  }

  /** Real disk blocks at the cap, where releasing them works (else the file grows, as the shim's does). */
  #atCap(): boolean {
    if (!RAW_RELEASABLE || existsSync(noPunchFlag(this.path))) return false;
    try {
      return statSync(this.path).blocks * 512 >= RAW_BACKLOG_BYTES;
    } catch {
      return false;
    }
  }
}
