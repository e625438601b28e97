/**
 * What the owner writes itself (a container's or a pod's log) stays within the raw backlog cap: at
 * the cap the follow waits until the ingestor releases space, and then goes on with nothing lost.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RAW_BACKLOG_BYTES } from '../../src-main/core/logs/log-caps';
import { RawAppender } from '../../src-main/core/logs/raw-appender';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

const MIB = 1024 * 1024;
const allocated = (path: string) => (statSync(path, { throwIfNoEntry: false })?.blocks ?? 0) * 512;

describe.skipIf(process.platform !== 'linux')('the raw appender', () => {
  it('waits at the backlog cap until space is released, then writes the rest', async () => {
    const path = join(tempDir('pcc-raw-'), 'svc.stdout');
    const appender = new RawAppender(path);
    const line = `${'x'.repeat(1023)}\n`;
    const total = RAW_BACKLOG_BYTES + 8 * MIB;
    let written = 0;
    const writing = (async () => {
      while (written < total) {
        await appender.write(line);
        written += line.length;
      }
      appender.end();
    })();
    await waitFor(() => allocated(path) >= RAW_BACKLOG_BYTES, 30_000);
    const held = written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Held at the cap: at most one check's worth past it, and no further while nothing is released.
    expect(written).toBe(held);
    expect(written).toBeLessThanOrEqual(RAW_BACKLOG_BYTES + MIB + line.length);
    // What the ingestor does once it has taken the lines in.
    execFileSync('fallocate', ['--punch-hole', '--offset', '0', '--length', String(RAW_BACKLOG_BYTES), path]);
    await writing;
    await waitFor(() => statSync(path).size === total);
    expect(allocated(path)).toBeLessThan(RAW_BACKLOG_BYTES);
  }, 60_000);
});
