/**
 * A home on a real 2 MB tmpfs that fills up while a service keeps logging: no torn line, no number
 * used for a line not written, no line lost or logged twice once space returns, and "disk full"
 * said in plain words. Needs root (mount), as the tests run here.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFiles, type LogFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { LogWriter } from '../../src-main/core/logs/log-writer';
import { RawLogIngestor } from '../../src-main/core/logs/raw-log-ingestor';
import { stateDirs } from '../../src-main/core/state/state-store';
import { tempDir } from '../support/cli-run';
import { privateHome } from '../support/cli-process';
import { harness, nodeService, waitFor } from '../support/engine-harness';

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir]);
});

function smallDisk(dir = tempDir('pcc-full-')): string {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Takes every free byte of the file system (whole blocks, then single bytes); returns the filler to delete. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const size of [64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x2e);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Every line of every log file parses (or is a positions line): no line torn, none glued to another. */
function expectWholeLines(files: LogFiles, dir: string): void {
  const base = files.current.split('/').pop()!;
  for (const name of readdirSync(dir).filter((f) => f.startsWith(base))) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (text) expect(text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').slice(0, -1)) expect(line).toMatch(/^(\d+ \S+ (out|err) line \d+|\d+ \S+ evt .+|# raw \d+ \d+)$/);
  }
}

/** The number of the service's last line in the log. */
const lastNumber = async (files: LogFiles): Promise<number> => Number((await tailLog(files, 1))[0]?.text.split(' ')[1] ?? 0);

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('a log on a full disk', () => {
  it('writes whole lines or nothing, numbers only what it wrote, holds events, and catches up once space returns', async () => {
    const dir = smallDisk();
    const files = logFiles(dir, 'svc');
    appendFileSync(files.rawStdout, numbered(1, 100));
    const problems: string[] = [];
    const writer = new LogWriter(files, undefined, undefined, (error) => problems.push(error.message));
    const ingestor = new RawLogIngestor(files, writer, (error) => problems.push(error.message));
    await ingestor.drain();
    const logged = writer.positions!;
    appendFileSync(files.rawStdout, numbered(101, 3_000));
    const filler = fill(dir);

    // The batch does not fit (a part of it would, in the last block's slack): none of it stays.
    await ingestor.drain();
    writer.write('evt', ['healthy: answered']);
    await ingestor.drain();
    expect(problems[0]).toMatch(/^disk full: cannot write .*svc\.log \(ENOSPC\); output is held back/);
    expectWholeLines(files, dir);
    expect((await tailLog(files)).map((line) => line.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // A new owner meanwhile would resume where the log really stands, not where the failed write would have put it.
    const meanwhile = new LogWriter(files);
    expect(meanwhile.positions).toEqual(logged);
    meanwhile.close();

    rmSync(filler);
    await ingestor.drain();
    writer.close();
    const lines = await tailLog(files);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.filter((line) => line.stream === 'out').map((line) => line.text)).toEqual(numbered(1, 3_000).trim().split('\n'));
    // The held event comes first, after a line saying since when the disk was full, then the output held in the raw file.
    expect(lines.slice(99, 103).map((line) => `${line.stream} ${line.text}`)).toEqual([
      'out line 100',
      expect.stringMatching(/^evt the log could not be written since \S+ \(disk full\); what was held back follows, in order$/),
      'evt healthy: answered',
      'out line 101',
    ]);
    expectWholeLines(files, dir);
  });

  it('loses no line of a running service while the disk is full, and says so in plain words', async () => {
    const home = smallDisk();
    const talker = nodeService('talker', ['-e', "let n = 0; setInterval(() => process.stdout.write('line ' + ++n + '\\n'), 4);"]);
    const h = await harness(talker, home);
    const files = logFiles(stateDirs(home).logs, 'talker');
    try {
      await h.engine.start('talker');
      await waitFor(async () => (await lastNumber(files)) >= 50);
      const filler = fill(home);
      const warned = await waitFor(() => h.engine.warnings.find((warning) => warning.includes('disk full')));
      expect(warned).toMatch(/^logs of 'talker': disk full: cannot write /);
      // The service goes on writing into a full disk for a while (~250 lines at 4 ms a line).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      rmSync(filler);
      await waitFor(async () => (await lastNumber(files)) > 500, 20_000);
    } finally {
      await h.engine.stop('talker');
      await h.engine.close();
    }
    const lines = await tailLog(files);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, i) => i + 1));
    const out = lines.filter((line) => line.stream === 'out').map((line) => line.text);
    expect(out).toEqual(out.map((_, i) => `line ${i + 1}`));
    expect(lines.some((line) => line.stream === 'evt' && /could not be written since .* \(disk full\)/.test(line.text))).toBe(true);
    expectWholeLines(files, stateDirs(home).logs);
  }, 60_000);

  it('lets `services start` on a full home succeed, saying "disk full" in plain words and no stack trace', async () => {
    const cli = privateHome(nodeService('talker', ['-e', 'setInterval(() => console.log(1), 50)']));
    smallDisk(cli.home);
    try {
      await cli.run(['services', 'status']); // starts the daemon
      const filler = fill(cli.home);
      const started = await cli.run(['services', 'start', 'talker']);
      expect(started.stderr).not.toMatch(/^\s+at /m);
      expect(started.code).toBe(0);
      const status = await waitFor(async () => {
        const { stdout, stderr } = await cli.run(['services', 'status']);
        return `${stdout}${stderr}`.includes('disk full') && `${stdout}${stderr}`;
      });
      expect(status).toMatch(/logs of 'talker': disk full: cannot write \S+talker\.log \(ENOSPC\)/);
      rmSync(filler);
    } finally {
      await cli.run(['services', 'stop', 'talker']);
      await cli.cleanup();
    }
  }, 60_000);
});
