/**
 * A service writing as fast as it can (`yes`, GB/s) for 20 s with an owner running, then 20 s with
 * none: the home's real disk use (du: allocated blocks) stays under the documented cap all along,
 * the writer is never held up, and the output that had to go is counted in the log.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RAW_BACKLOG_BYTES, serviceLogCap } from '../../src-main/core/logs/log-caps';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { DEFAULT_ROTATION } from '../../src-main/core/logs/log-writer';
import { stateDirs } from '../../src-main/core/state/state-store';
import { harness, waitFor } from '../support/engine-harness';

const LINE = 'x'.repeat(100);
const REGISTRY = ['[services.flood]', '[services.flood.deployment]', 'mode = "binary"', `binary = { command = "yes", args = ["${LINE}"] }`, ''].join('\n');
/** The documented cap, and room for the home's few small files besides the logs (state, records). */
const CAP = serviceLogCap(DEFAULT_ROTATION) + 1024 * 1024;
const FLOOD_MS = 20_000;

const diskUse = (home: string): number => Number(execFileSync('du', ['-sB1', home], { encoding: 'utf8' }).split('\t')[0]);
const written = (pid: number): number => Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

/** A log shim of this home's flood service still runs (its command line names the raw file). */
function shimRunning(home: string): boolean {
  return readdirSync('/proc').some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(logFiles(stateDirs(home).logs, 'flood').rawStdout);
    } catch {
      return false;
    }
  });
}

/** Samples the home's disk use while the flood runs, failing at the first sample over the cap (so old code cannot fill the disk). */
async function watchDiskUse(home: string): Promise<number> {
  let most = 0;
  for (const until = Date.now() + FLOOD_MS; Date.now() < until; ) {
    const use = diskUse(home);
    if (use > CAP) throw new Error(`the home holds ${use} bytes, over the cap of ${CAP}`);
    most = Math.max(most, use);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return most;
}

describe('disk use under an output flood', () => {
  it('stays under the cap with and without an owner, never blocks the writer, and counts what it dropped', async () => {
    const first = await harness(REGISTRY);
    const files = logFiles(stateDirs(first.home).logs, 'flood');
    let second: Awaited<ReturnType<typeof harness>> | undefined;
    let paused: number | undefined;
    try {
      const { pid } = await first.engine.start('flood');
      const withOwner = await watchDiskUse(first.home);
      // The owner kept logging through the flood.
      expect((await tailLog(files, 1))[0]?.text).toBe(LINE);

      await first.engine.close();
      const before = written(pid!);
      const withoutOwner = await watchDiskUse(first.home);
      // Nobody logged, yet the writer went on writing far more than the cap: its output was drained, not blocked.
      expect(written(pid!) - before).toBeGreaterThan(4 * RAW_BACKLOG_BYTES);

      // The writer pauses, so what the next owner logs ends with the backlog and the drop it marks —
      // rather than the marker being rotated away under a flood that goes on.
      process.kill(pid!, 'SIGSTOP');
      paused = pid;
      second = await first.reopen();
      const dropped = await waitFor(
        async () => (await tailLog(files, 50_000)).find((line) => line.stream === 'evt' && /^\d+ bytes of stdout dropped: /.test(line.text)),
        60_000,
      );
      expect(Number(dropped.text.split(' ')[0])).toBeGreaterThan(0);
      console.log(`flood: most disk use ${withOwner} bytes with an owner, ${withoutOwner} without (cap ${CAP}); ${dropped.text}`);
    } finally {
      if (paused) process.kill(paused, 'SIGCONT');
      const owner = second ?? first;
      await owner.engine.stop('flood').catch(() => undefined);
      await owner.engine.close();
    }
    // The shim lives as long as its service's output can be written, not longer.
    await waitFor(() => !shimRunning(first.home), 5_000);
  }, 180_000);
});
