/** A real process writing ≥ 10 MB/s through raw capture, ingestion and rotation: every line read back once. */
import { spawn } from 'node:child_process';
import { appendFileSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dropMarker } from '../../src-main/core/logs/log-caps';
import { logFiles } from '../../src-main/core/logs/log-files';
import { followLog, tailLog } from '../../src-main/core/logs/log-reader';
import { LogWriter } from '../../src-main/core/logs/log-writer';
import { RawLogIngestor } from '../../src-main/core/logs/raw-log-ingestor';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

describe('log pipeline', () => {
  it('carries a 10 MB/s writer through rotation without loss or repetition', async () => {
    const dir = tempDir();
    const files = logFiles(dir, 'flood');
    const total = 400_000; // ~36 MB at ~90 bytes a line
    const out = openSync(files.rawStdout, 'a');
    const started = performance.now();
    const child = spawn(process.execPath, ['test/fixtures/numbered-writer.mjs', String(total), String(24 * 1024 * 1024)], { stdio: ['ignore', out, 'ignore'] });
    const writer = new LogWriter(files, { maxBytes: 4 * 1024 * 1024, keep: 20 });
    const ingestor = new RawLogIngestor(files, writer, (error) => {
      throw error;
    });
    const abort = new AbortController();
    const followed: number[] = [];
    const following = (async () => {
      for await (const line of followLog(files, { afterSeq: 0, signal: abort.signal, pollMs: 20 })) followed.push(line.seq);
    })();
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      await ingestor.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    await ingestor.drain();
    // The follower may lag on a busy machine; it must catch up, and the comparison below proves nothing was skipped.
    await waitFor(() => followed.at(-1) === total, 30_000);
    abort.abort();
    await following;

    const rawBytes = statSync(files.rawStdout).size;
    expect(rawBytes / seconds).toBeGreaterThan(10 * 1024 * 1024);
    expect(readdirSync(dir).filter((f) => f.startsWith('flood.log.')).length).toBeGreaterThan(4);
    const lines = await tailLog(files);
    expect(lines).toHaveLength(total);
    lines.forEach((line, i) => {
      expect(line.seq).toBe(i + 1);
      expect(line.text.startsWith(`line ${i + 1} `)).toBe(true);
    });
    expect(followed).toEqual(lines.map((line) => line.seq));
    expect((await tailLog(files, 3)).map((line) => line.text.split(' ')[1])).toEqual([`${total - 2}`, `${total - 1}`, `${total}`]);
    writer.close();
  }, 60_000);

  it('resumes after a restart of the manager exactly where it stopped', async () => {
    const dir = tempDir();
    const files = logFiles(dir, 'svc');
    const write = (text: string) => appendFileSync(files.rawStdout, text);
    write('one\ntwo\nthr');
    const first = new LogWriter(files);
    await new RawLogIngestor(files, first, (error) => {
      throw error;
    }).drain();
    first.close();
    write('ee\nfour\n');
    const second = new LogWriter(files);
    await new RawLogIngestor(files, second, (error) => {
      throw error;
    }).drain();
    expect((await tailLog(files)).map((l) => [l.seq, l.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
    ]);
    second.close();
  });

  it('logs a batch once when the manager was killed in the middle of writing it', async () => {
    const dir = tempDir();
    const files = logFiles(dir, 'svc');
    appendFileSync(files.rawStdout, 'one\ntwo\nthree\nfour\n');
    const first = new LogWriter(files);
    const ingestor = new RawLogIngestor(files, first, (error) => {
      throw error;
    });
    await ingestor.drain();
    first.write('evt', ['healthy: ok']);
    first.close();
    // What a write cut short by SIGKILL leaves: output lines of a next batch, the last one partial,
    // and no positions line after them (the raw file still holds those lines for the next owner).
    appendFileSync(files.rawStdout, 'five\nsix\n');
    const time = new Date().toISOString();
    appendFileSync(files.current, `6 ${time} out five\n7 ${time} out si`);
    const second = new LogWriter(files);
    await new RawLogIngestor(files, second, (error) => {
      throw error;
    }).drain();
    expect((await tailLog(files)).map((l) => [l.seq, l.stream, l.text])).toEqual([
      [1, 'out', 'one'],
      [2, 'out', 'two'],
      [3, 'out', 'three'],
      [4, 'out', 'four'],
      [5, 'evt', 'healthy: ok'],
      [6, 'out', 'five'],
      [7, 'out', 'six'],
    ]);
    second.close();
  });

  it('finds its place behind a rotation and later lifecycle events', async () => {
    const files = logFiles(tempDir(), 'svc');
    appendFileSync(files.rawStdout, 'a\nb\n');
    const first = new LogWriter(files, { maxBytes: 10, keep: 3 });
    await new RawLogIngestor(files, first, (error) => {
      throw error;
    }).drain();
    first.write('evt', ['stopped: stopped by user']);
    first.close();
    appendFileSync(files.rawStdout, 'c\n');
    const second = new LogWriter(files, { maxBytes: 10, keep: 3 });
    await new RawLogIngestor(files, second, (error) => {
      throw error;
    }).drain();
    expect((await tailLog(files)).map((l) => `${l.seq} ${l.stream} ${l.text}`)).toEqual(['1 out a', '2 out b', '3 evt stopped: stopped by user', '4 out c']);
    second.close();
  });

  it("logs the log shim's drop markers as events in their place, once across a restart", async () => {
    const files = logFiles(tempDir(), 'svc');
    appendFileSync(files.rawStdout, `one\n${dropMarker(1234, 'backlog', false)}two\n`);
    const first = new LogWriter(files);
    await new RawLogIngestor(files, first, (error) => {
      throw error;
    }).drain();
    first.close();
    // Output cut mid-line by a drop: the marker closes the line and stands on its own.
    appendFileSync(files.rawStdout, `par${dropMarker(99, 'disk-full', true)}three\n`);
    const second = new LogWriter(files);
    await new RawLogIngestor(files, second, (error) => {
      throw error;
    }).drain();
    second.close();
    expect((await tailLog(files)).map((l) => `${l.seq} ${l.stream} ${l.text}`)).toEqual([
      '1 out one',
      '2 evt 1234 bytes of stdout dropped: its unread backlog reached the 32 MiB cap (written faster than logged, or while no manager ran)',
      '3 out two',
      '4 out par',
      '5 evt 99 bytes of stdout dropped: the disk was full',
      '6 out three',
    ]);
  });

  it('moves its raw offsets by raw bytes, not decoded text: invalid UTF-8 before a drop marker', async () => {
    const files = logFiles(tempDir(), 'svc');
    const marker = dropMarker(7, 'backlog', false);
    // Two invalid bytes decode to two U+FFFD (6 bytes of UTF-8): offsets from decoded text run 4 bytes ahead.
    appendFileSync(files.rawStdout, Buffer.concat([Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${marker}two\n`)]));
    const writer = new LogWriter(files);
    await new RawLogIngestor(files, writer, (error) => {
      throw error;
    }).drain();
    writer.close();
    const positions = readFileSync(files.current, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('# raw '));
    expect(positions).toEqual([`# raw 3 0`, `# raw ${3 + marker.length} 0`, `# raw ${3 + marker.length + 4} 0`]);
  });
});
