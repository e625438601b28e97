import { describe, expect, it } from 'vitest';
import {
  formatGap,
  formatLine,
  formatNote,
  formatSkipped,
  LogBatcher,
  serviceColourIndex,
  servicePrefix,
} from '../../../src-renderer/src/features/logs/log-batcher';

const COMMAND = 'provisioning services logs api';
/** Ten characters each, numbered so that order can be read back. */
const short = (i: number) => `l${String(i).padStart(7, '0')}\r\n`;
/** 1 KiB each. */
const long = (i: number) => `${String(i).padStart(8, '0')}${'x'.repeat(1014)}\r\n`;

function drain(batcher: LogBatcher): string[] {
  const chunks: string[] = [];
  for (let chunk = batcher.next(); chunk !== ''; chunk = batcher.next()) chunks.push(chunk);
  return chunks;
}

describe('LogBatcher', () => {
  it('writes whole lines in order, within the frame budget', () => {
    const batcher = new LogBatcher({ command: COMMAND, frameBudget: 35 });
    for (let i = 0; i < 25; i++) batcher.push(short(i));
    expect(batcher.pending).toBe(25);
    const chunks = drain(batcher);
    expect(chunks.map((c) => c.length)).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 10]);
    expect(chunks.join('')).toBe(Array.from({ length: 25 }, (_, i) => short(i)).join(''));
    expect(batcher.pending).toBe(0);
    expect(batcher.idle).toBe(true);
  });

  it('writes a line longer than the budget alone rather than stalling', () => {
    const batcher = new LogBatcher({ command: COMMAND, frameBudget: 35 });
    batcher.push('y'.repeat(50));
    batcher.push(short(1));
    expect(drain(batcher)).toEqual(['y'.repeat(50), short(1)]);
  });

  it('keeps order across pushes interleaved with frames', () => {
    const batcher = new LogBatcher({ command: COMMAND, frameBudget: 10_000, maxPendingLines: 20_000 });
    let next = 0;
    const out: string[] = [];
    for (let i = 0; i < 5000; i++) batcher.push(short(next++));
    for (let frame = 0; frame < 20; frame++) {
      for (let i = 0; i < 500; i++) batcher.push(short(next++));
      out.push(batcher.next());
    }
    out.push(...drain(batcher));
    expect(out.join('')).toBe(Array.from({ length: 15_000 }, (_, i) => short(i)).join(''));
    expect(batcher.skipped).toBe(0);
  });

  it('under a flood of 200,000 lines keeps the newest 5,000 and says how many it skipped', () => {
    const batcher = new LogBatcher({ command: COMMAND, frameBudget: 256 * 1024 });
    for (let i = 0; i < 200_000; i++) batcher.push(short(i));
    expect(batcher.pending).toBe(5000);
    expect(batcher.skipped).toBe(195_000);
    const chunks = drain(batcher);
    const marker = '\x1b[1;33m… 195,000 lines skipped to keep up — the log file keeps every line (provisioning services logs api)\x1b[0m\r\n';
    expect(chunks).toEqual([marker + Array.from({ length: 5000 }, (_, i) => short(195_000 + i)).join('')]);
    expect(batcher.skipped).toBe(0);
    expect(batcher.idle).toBe(true);
  });

  it('caps what waits at 2 MiB and writes it 256 KiB a frame', () => {
    const batcher = new LogBatcher({ command: COMMAND, frameBudget: 256 * 1024 });
    for (let i = 0; i < 200_000; i++) batcher.push(long(i));
    expect(batcher.pending).toBe(2048);
    expect(batcher.skipped).toBe(197_952);
    const marker = formatSkipped(197_952, COMMAND);
    const chunks = drain(batcher);
    expect(chunks.map((c) => c.length)).toEqual([marker.length + 255 * 1024, ...Array<number>(7).fill(256 * 1024), 1024]);
    expect(chunks[0]!.slice(0, marker.length)).toBe(marker);
    expect(chunks[0]!.slice(marker.length, marker.length + 8)).toBe('00197952');
    expect(chunks.at(-1)).toBe(long(199_999));
  });

  it('counts a dropped gap marker as the lines it stood for', () => {
    const batcher = new LogBatcher({ command: COMMAND, maxPendingLines: 200 });
    batcher.push(formatGap(100, 250), 151);
    for (let i = 0; i < 100; i++) batcher.push(short(i));
    expect(batcher.pending).toBe(100);
    expect(batcher.skipped).toBe(151);
    expect(batcher.next()).toBe(formatSkipped(151, COMMAND) + Array.from({ length: 100 }, (_, i) => short(i)).join(''));
  });

  it('keeps the newest line even when it alone is over the cap', () => {
    const batcher = new LogBatcher({ command: COMMAND, maxPendingChars: 20 });
    batcher.push(short(1));
    batcher.push('z'.repeat(30));
    expect(batcher.pending).toBe(1);
    expect(batcher.skipped).toBe(1);
    expect(drain(batcher)).toEqual([formatSkipped(1, COMMAND) + 'z'.repeat(30)]);
  });

  it('clears what waits and what was skipped', () => {
    const batcher = new LogBatcher({ command: COMMAND, maxPendingLines: 2 });
    for (let i = 0; i < 5; i++) batcher.push(short(i));
    batcher.clear();
    expect([batcher.pending, batcher.skipped, batcher.idle, batcher.next()]).toEqual([0, 0, true, '']);
  });
});

describe('markers', () => {
  it('says which lines the engine did not send', () => {
    expect(formatGap(100, 250)).toBe('\x1b[1;33m… lines 100–250 were not sent: the view could not keep up\x1b[0m\r\n');
    expect(formatGap(7, 7)).toBe('\x1b[1;33m… line 7 was not sent: the view could not keep up\x1b[0m\r\n');
    expect(formatGap(1000, 12_345, { service: 'api', colourIndex: 0 })).toBe(
      '\x1b[38;5;114mapi\x1b[0m \x1b[90m│\x1b[0m \x1b[1;33m… lines 1,000–12,345 were not sent: the view could not keep up\x1b[0m\r\n',
    );
  });

  it('says how many lines were skipped, and where to find them', () => {
    expect(formatSkipped(1, 'provisioning platform logs')).toBe(
      '\x1b[1;33m… 1 line skipped to keep up — the log file keeps every line (provisioning platform logs)\x1b[0m\r\n',
    );
    expect(formatSkipped(12_345, COMMAND)).toBe(
      '\x1b[1;33m… 12,345 lines skipped to keep up — the log file keeps every line (provisioning services logs api)\x1b[0m\r\n',
    );
  });

  it('shows the view’s own problems in bold red', () => {
    expect(formatNote('could not follow api: gone')).toBe('\x1b[31m\x1b[1m✖ could not follow api: gone\x1b[0m\r\n');
  });
});

describe('formatLine', () => {
  const time = '2026-01-31T12:34:56.789Z';

  it('shows the time in a muted palette colour and passes the service’s own colours through', () => {
    expect(formatLine({ seq: 1, time, stream: 'out', text: 'ready \x1b[32mok\x1b[0m' }, { utc: true })).toBe(
      '\x1b[90m12:34:56.789\x1b[0m ready \x1b[32mok\x1b[0m\r\n',
    );
  });

  it('shows stderr in red and lifecycle events in bold cyan with a mark', () => {
    expect(formatLine({ seq: 2, time, stream: 'err', text: 'boom' }, { utc: true })).toBe('\x1b[90m12:34:56.789\x1b[0m \x1b[31mboom\x1b[0m\r\n');
    expect(formatLine({ seq: 3, time, stream: 'evt', text: 'healthy: http 200' }, { utc: true })).toBe(
      '\x1b[90m12:34:56.789\x1b[0m \x1b[1;36m● healthy: http 200\x1b[0m\r\n',
    );
  });

  it('shows local time by default, and an unparsable time as it came', () => {
    const local = new Date(2026, 0, 31, 7, 8, 9, 5).toISOString();
    expect(formatLine({ seq: 4, time: local, stream: 'out', text: 'x' })).toBe('\x1b[90m07:08:09.005\x1b[0m x\r\n');
    expect(formatLine({ seq: 5, time: 'soon', stream: 'out', text: 'x' })).toBe('\x1b[90msoon\x1b[0m x\r\n');
  });

  it('prefixes the merged view with the service, padded, in its colour', () => {
    expect(formatLine({ seq: 6, time, stream: 'out', text: 'hi' }, { service: 'api', colourIndex: 1, width: 6, utc: true })).toBe(
      '\x1b[38;5;75mapi   \x1b[0m \x1b[90m│\x1b[0m \x1b[90m12:34:56.789\x1b[0m hi\r\n',
    );
  });

  it('gives each service a stable colour', () => {
    expect(['orchestrator', 'control-center', 'oci-registry', 'mcp-server', 'api'].map(serviceColourIndex)).toEqual([1, 0, 6, 5, 7]);
    expect(servicePrefix({ service: 'api' })).toBe('\x1b[38;5;182mapi\x1b[0m \x1b[90m│\x1b[0m ');
    expect(servicePrefix({ service: 'api' })).toBe(servicePrefix({ service: 'api', colourIndex: 7 }));
    expect(servicePrefix({ service: 'web', colourIndex: 9 })).toBe('\x1b[38;5;75mweb\x1b[0m \x1b[90m│\x1b[0m ');
    expect(servicePrefix({})).toBe('');
  });
});
