/**
 * A followed line whose JSON passes the frame bound (1 MiB of control characters is ~6 MiB escaped)
 * is never silently lost: it becomes a gap marker, and every message sent fits one frame.
 */
import { describe, expect, it } from 'vitest';
import type { LogMessage } from '@shared/contract/logs';
import { logFiles } from '../../src-main/core/logs/log-files';
import { LogWriter } from '../../src-main/core/logs/log-writer';
import { boundedFrame } from '../../src-main/daemon/frame-limit';
import { streamLog } from '../../src-main/daemon/log-stream';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

describe('log stream frames', () => {
  it('sends a gap for a line too large for one frame, and the lines around it', async () => {
    const files = logFiles(tempDir(), 'svc');
    const writer = new LogWriter(files);
    writer.write('out', ['before', '\u0001'.repeat(1024 * 1024), 'x'.repeat(300 * 1024), 'after']);
    writer.close();
    const sent: LogMessage[] = [];
    let refused = 0;
    const abort = new AbortController();
    // The push goes through the same bound as the daemon's transports (contract-server.ts).
    const push = (message: LogMessage) => (boundedFrame(message) ? sent.push(message) : refused++);
    const streaming = streamLog({ service: 'svc', files, afterSeq: 0, signal: abort.signal, push, buffered: () => 0 });
    await waitFor(() => sent.some((m) => m.logs.lines?.some((line) => line.text === 'after')));
    abort.abort();
    await streaming;
    expect(refused).toBe(0);
    expect(sent.map((m) => (m.logs.gap ? `gap ${m.logs.gap.from}-${m.logs.gap.to}` : m.logs.lines!.map((l) => l.seq).join(',')))).toEqual([
      '1',
      'gap 2-2',
      '3,4',
    ]);
  });
});
