/**
 * A log followed over the contract while the service writes 10 MB/s for 5 s: every line arrives in
 * order or inside an explicit gap marker, at most 60 messages a second, and a receiver that stops
 * reading makes the owner drop batches (said so) rather than buffer them: what the owner holds for
 * one receiver is bounded by MAX_BUFFERED (log-stream.ts), not by how long it stalls.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines } from '../../src-main/core/read-lines';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';

const TOTAL = 560_000; // about 50 MB of 90-byte lines: 10 MB/s for 5 s
const writer = nodeService('flood', [join(process.cwd(), 'test', 'fixtures', 'numbered-writer.mjs'), String(TOTAL), String(10 * 1024 * 1024), 'stay']);
let home: Home;

beforeAll(async () => {
  home = privateHome(`${writer}${nodeService('quiet', ['-e', 'setInterval(() => {}, 1000)'])}`);
  await home.run(['daemon', 'status']);
  await home.run(['services', 'status']); // starts the daemon
}, 30_000);
afterAll(() => home.cleanup());

interface Received {
  at: number;
  lines?: { seq: number; stream: string; text: string }[];
  gap?: { from: number; to: number };
}

async function follow(pauseMs = 0, maxLinesPerSecond?: number): Promise<{ received: Received[]; socket: Socket }> {
  const socket = connect(daemonSocketPath(home.home));
  await new Promise((resolve) => socket.once('connect', resolve));
  const received: Received[] = [];
  readLines(socket, (line) => {
    const message = JSON.parse(line) as { logs?: { lines?: Received['lines']; gap?: Received['gap'] } };
    if (message.logs) received.push({ at: Date.now(), ...message.logs });
  });
  socket.write(`${JSON.stringify({ id: 1, method: 'logFollow', params: { name: 'flood', maxLinesPerSecond } })}\n`);
  if (pauseMs) {
    // A receiver that stops reading for a while: the owner's socket fills.
    setTimeout(() => {
      socket.pause();
      setTimeout(() => socket.resume(), pauseMs);
    }, 1_000);
  }
  return { received, socket };
}

/** Every output line of the writer accounted for once, in order: as a line or inside a gap. */
function accountFor(received: Received[]): { lines: number; gaps: number } {
  // Seqs only grow: a line or a gap never covers what came before it.
  let next = 0;
  let lines = 0;
  let gaps = 0;
  for (const message of received) {
    if (message.gap) {
      expect(message.gap.from).toBeGreaterThan(next - 1);
      next = message.gap.to + 1;
      gaps++;
      continue;
    }
    for (const line of message.lines!) {
      expect(line.seq).toBeGreaterThan(next - 1);
      next = line.seq + 1;
      if (line.stream === 'out') lines++;
    }
  }
  return { lines, gaps };
}

describe('a log followed over the contract', () => {
  it('carries a 10 MB/s flood in order, batched at most 60 messages a second, with explicit gaps for a receiver that stalls', async () => {
    const steady = await follow();
    const stalling = await follow(2_000);
    // A view that shows at most 6,000 lines a second: the newest 100 of each batch, gaps for the rest.
    const capped = await follow(0, 6_000);
    const started = await home.run(['services', 'start', 'flood']);
    expect(started.code).toBe(0);
    // The seq of the writer's last line, once it is in the log; then each receiver must have covered it.
    let finalSeq = 0;
    while (!finalSeq) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { stdout } = await home.run(['services', 'logs', 'flood', '-n', '20', '--json']);
      const tail = stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { seq: number; text: string });
      finalSeq = tail.find((line) => line.text.startsWith(`line ${TOTAL} `))?.seq ?? 0;
    }
    const covered = (received: Received[]) => Math.max(0, ...received.map((m) => m.gap?.to ?? m.lines!.at(-1)!.seq));
    await waitFor(() => [steady, stalling, capped].every(({ received }) => covered(received) >= finalSeq), 60_000);

    // Every line accounted for, in order, as a line or inside a gap marker.
    const steadyCount = accountFor(steady.received);
    const stalled = accountFor(stalling.received);
    expect(steadyCount.lines + stalled.lines).toBeGreaterThan(0);
    // No second holds more than 60 messages (a little slack for timer jitter at second boundaries).
    for (const { received } of [steady, stalling]) {
      const perSecond = new Map<number, number>();
      for (const message of received) perSecond.set(Math.floor(message.at / 1000), (perSecond.get(Math.floor(message.at / 1000)) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(62);
    }
    // The receiver that stopped reading lost lines, and was told which.
    expect(stalled.gaps).toBeGreaterThan(0);
    expect(stalled.lines).toBeLessThan(TOTAL);
    // One that kept reading and was never behind got every line (on a loaded machine it may be
    // starved too, and then it has gaps of its own: comparing its count with the stalled one's is no law).
    if (steadyCount.gaps === 0) expect(steadyCount.lines).toBe(TOTAL);
    // The capped receiver: never more than 100 lines a message, every line accounted for, and the
    // newest line of the flood delivered as a line (the end of a burst is what a person reads).
    const cappedCount = accountFor(capped.received);
    expect(Math.max(...capped.received.map((m) => m.lines?.length ?? 0))).toBeLessThanOrEqual(100);
    expect(cappedCount.gaps).toBeGreaterThan(0);
    expect(capped.received.some((m) => m.lines?.some((line) => line.seq === finalSeq))).toBe(true);
    for (const { socket } of [steady, stalling, capped]) socket.destroy();
  }, 120_000);
});
