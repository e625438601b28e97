/**
 * A container's output, demultiplexed into stdout and stderr and appended to the service's raw log
 * files, so it flows through the same pipeline and rotation as a binary service's. Lines carry
 * Docker's timestamp on the way in: after a break (the engine restarting, a manager restart) the
 * follow resumes after the last line taken, never losing one and never taking one twice. At the raw
 * backlog cap (or a slow disk) the follow pauses: Docker keeps the lines, the home stays bounded.
 */
import { PassThrough } from 'node:stream';
import { readLines } from '../../read-lines';
import type Docker from 'dockerode';
import type { LogFiles } from '../../logs/log-files';
import { RawAppender } from '../../logs/raw-appender';

export class ContainerLogs {
  /** Docker's RFC 3339 timestamp (nanoseconds) of the last line taken, per stream. */
  #last = { stdout: '', stderr: '' };
  #stream: NodeJS.ReadableStream | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly container: string,
    private readonly files: LogFiles,
  ) {}

  /** Follows from `sinceSeconds` (unix time) or, after a break, from the last line taken. */
  async follow(sinceSeconds: number): Promise<void> {
    const resumeAt = [this.#last.stdout, this.#last.stderr].filter(Boolean).sort()[0];
    const since = resumeAt ? Math.floor(Date.parse(resumeAt) / 1000) : sinceSeconds;
    const stream = (await this.docker
      .getContainer(this.container)
      .logs({ follow: true, stdout: true, stderr: true, timestamps: true, since })) as NodeJS.ReadableStream;
    this.#stream = stream;
    const out = new PassThrough();
    const err = new PassThrough();
    this.docker.modem.demuxStream(stream, out, err);
    stream.on('end', () => (out.end(), err.end()));
    stream.on('error', () => (out.end(), err.end()));
    // Both streams come from one connection: while either waits to write, that connection pauses.
    let waiting = 0;
    const hold = (written: Promise<void>) => {
      if (waiting++ === 0) stream.pause();
      void written.finally(() => --waiting === 0 && stream.resume());
    };
    this.#copy(out, 'stdout', new RawAppender(this.files.rawStdout), hold);
    this.#copy(err, 'stderr', new RawAppender(this.files.rawStderr), hold);
  }

  close(): void {
    (this.#stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined)?.destroy?.();
  }

  #copy(input: PassThrough, which: 'stdout' | 'stderr', file: RawAppender, hold: (written: Promise<void>) => void): void {
    readLines(input, (line) => {
      const space = line.indexOf(' ');
      const time = line.slice(0, space);
      // RFC 3339 with fixed nanoseconds sorts as text; what resumes a follow was taken already.
      if (time <= this.#last[which]) return;
      this.#last[which] = time;
      hold(file.write(`${line.slice(space + 1)}\n`));
    }).on('close', () => file.end());
  }
}
