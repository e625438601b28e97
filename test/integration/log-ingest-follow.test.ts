/**
 * Ingestion that keeps raw files open and is told by the kernel when they grow (issue 18): output
 * still arrives whole and in order, and the open file is followed where a name-by-name reader loses
 * lines — a raw file deleted (its writer still on the old file until it notices) and made again, a
 * file moved over it, a truncation. Real files and a real service; no poll is relied on.
 */
import { appendFileSync, closeSync, openSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { createEngine, type Engine } from '../../src-main/core/engine';
import { logFiles, type LogFiles } from '../../src-main/core/logs/log-files';
import { LogIngest } from '../../src-main/core/logs/log-ingest';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { LogWriter } from '../../src-main/core/logs/log-writer';
import { RawLogIngestor } from '../../src-main/core/logs/raw-log-ingestor';
import { stateDirs } from '../../src-main/core/state/state-store';
import { tempDir } from '../support/cli-run';
import { FIXTURES, waitFor } from '../support/engine-harness';

const texts = async (files: LogFiles) => (await tailLog(files)).map((line) => `${line.stream} ${line.text}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A writer and an ingestor on a fresh logs folder, closed after the test. */
function pipeline(): { files: LogFiles; writer: LogWriter; ingestor: RawLogIngestor } {
  const files = logFiles(tempDir('pcc-ingest-'), 'svc');
  const writer = new LogWriter(files);
  const ingestor = new RawLogIngestor(files, writer, (error) => {
    throw error;
  });
  cleanups.push(() => (ingestor.close(), writer.close()));
  return { files, writer, ingestor };
}

describe('raw log ingestion on open files', () => {
  it('reads a deleted raw file to its end, then the one made again in its place, in order', async () => {
    const { files, ingestor } = pipeline();
    // The shim's side: a descriptor on the raw file, kept after the name is deleted until it notices.
    const shim = openSync(files.rawStdout, 'a');
    writeSync(shim, 'one\ntwo\n');
    await ingestor.drain();
    rmSync(files.rawStdout);
    writeSync(shim, 'three\n');
    await ingestor.drain();
    writeSync(shim, 'four\n');
    closeSync(shim);
    // The shim noticed: it makes the file again and writes there.
    appendFileSync(files.rawStdout, 'five\n');
    await ingestor.drain();
    appendFileSync(files.rawStdout, 'six\n');
    await ingestor.drain();
    expect(await texts(files)).toEqual(['out one', 'out two', 'out three', 'out four', 'out five', 'out six']);
  });

  it('follows a file moved over the raw file: the old one to its end, then the new one from its start', async () => {
    const { files, ingestor } = pipeline();
    appendFileSync(files.rawStdout, 'a\n');
    await ingestor.drain();
    appendFileSync(files.rawStdout, 'b\n');
    const replacement = `${files.rawStdout}.new`;
    writeFileSync(replacement, 'x\ny\n');
    renameSync(replacement, files.rawStdout);
    await ingestor.drain();
    appendFileSync(files.rawStdout, 'z\n');
    await ingestor.drain();
    expect(await texts(files)).toEqual(['out a', 'out b', 'out x', 'out y', 'out z']);
  });

  it('reads a truncated raw file from its start again', async () => {
    const { files, ingestor } = pipeline();
    appendFileSync(files.rawStdout, 'before one\nbefore two\n');
    await ingestor.drain();
    truncateSync(files.rawStdout, 0);
    appendFileSync(files.rawStdout, 'after\n');
    await ingestor.drain();
    expect(await texts(files)).toEqual(['out before one', 'out before two', 'out after']);
  });

  it('opens a raw file made after its first drain, and waits for the end of a partial line', async () => {
    const { files, ingestor } = pipeline();
    await ingestor.drain();
    appendFileSync(files.rawStderr, 'par');
    await ingestor.drain();
    appendFileSync(files.rawStderr, 'tial\n');
    await ingestor.drain();
    expect(await texts(files)).toEqual(['err partial']);
  });
});

describe('log ingestion told by the kernel', () => {
  it('drains a raw file when it grows, with no live process to poll for', async () => {
    const logs = tempDir('pcc-ingest-');
    const ingest = new LogIngest(logs, 50);
    const { files, writer, ingestor } = (() => {
      const files = logFiles(logs, 'quiet');
      const writer = new LogWriter(files);
      return { files, writer, ingestor: new RawLogIngestor(files, writer, () => undefined) };
    })();
    cleanups.push(() => ingest.close());
    // Not live: the sweep never drains it, so only the folder's watch can bring these lines in.
    ingest.add('quiet', { writer, ingestor, live: () => false });
    for (let i = 1; i <= 3; i++) {
      appendFileSync(files.rawStdout, `line ${i}\n`);
      await waitFor(async () => (await texts(files)).includes(`out line ${i}`));
    }
    expect(await texts(files)).toEqual(['out line 1', 'out line 2', 'out line 3']);
  });

  it('still drains a live service where no watch can be made, by its sweep', async () => {
    // The folder to watch does not exist (a watch fails as on a system out of inotify watches).
    const ingest = new LogIngest(join(tempDir('pcc-ingest-'), 'missing'), 50);
    const files = logFiles(tempDir('pcc-ingest-'), 'live');
    const writer = new LogWriter(files);
    cleanups.push(() => ingest.close());
    ingest.add('live', { writer, ingestor: new RawLogIngestor(files, writer, () => undefined), live: () => true });
    appendFileSync(files.rawStdout, 'first\nsecond\n');
    await waitFor(async () => (await texts(files)).length === 2);
    expect(await texts(files)).toEqual(['out first', 'out second']);
  });

  it("carries a real service's numbered output through many log rotations: every line once, in order", async () => {
    const home = tempDir('pcc-engine-');
    const total = 30_000;
    // 30 000 lines of ~95 bytes at ~1 MB/s in bursts of 10 ms, through pipes, the log shim and a log rotated every 64 KiB.
    const text = [
      '[services.writer]',
      '[services.writer.deployment]',
      'mode = "binary"',
      `binary = { command = ${JSON.stringify(process.execPath)}, args = ["numbered-writer.mjs", "${total}", "1048576", "stay"], cwd = ${JSON.stringify(FIXTURES)} }`,
      '',
    ].join('\n');
    const { registry, issues } = parseRegistry(text, 'test.toml');
    if (!registry) throw new Error(issues.map((issue) => issue.message).join('\n'));
    const engine: Engine = await createEngine({
      home,
      registry,
      registryDir: FIXTURES,
      env: process.env,
      clientEnv: process.env,
      rotation: { maxBytes: 64 * 1024, keep: 1_000 },
    });
    cleanups.push(async () => {
      await engine.stop('writer').catch(() => undefined);
      await engine.close();
    });
    await engine.start('writer');
    const files = logFiles(stateDirs(home).logs, 'writer');
    const out = async () => (await tailLog(files)).filter((line) => line.stream === 'out');
    await waitFor(async () => (await out()).at(-1)?.text.startsWith(`line ${total} `), 120_000);
    const lines = await tailLog(files);
    // Numbered without a gap or a repeat across all rotated files, the output in the order written.
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, i) => lines[0]!.seq + i));
    const numbers = lines.filter((line) => line.stream === 'out').map((line) => Number(line.text.split(' ')[1]));
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  }, 150_000);
});
