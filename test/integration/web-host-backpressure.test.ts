/**
 * The web host between a fast page and an owner that does not read (a daemon stopped with SIGSTOP):
 * the host stops reading the page's WebSocket while the owner's socket is full, so the page's
 * frames wait in the kernel and in the page's own buffer instead of piling up in the `ui` process.
 * Once the owner reads again, every request is answered.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';

let home: Home;
let cli: ReturnType<Home['spawnPiped']>;
let url: URL;

beforeAll(async () => {
  home = privateHome(nodeService('web', ['-e', 'setInterval(() => {}, 1000)']));
  cli = home.spawnPiped(['ui', '--no-open']);
  url = new URL(await waitFor(() => /Provisioning control center: (\S+)/.exec(cli.stdout())?.[1], 20_000));
}, 30_000);
afterAll(async () => {
  cli.child.kill('SIGINT');
  await cli.exited;
  await home.cleanup();
});

const residentBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

it('holds back a page that writes faster than the owner reads, and answers everything once it reads', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { origin: url.origin });
  const answered = new Set<number>();
  ws.on('message', (data) => answered.add((JSON.parse(data.toString()) as { id: number }).id));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const daemon = (await home.daemonPid())!;
  const before = residentBytes(cli.child.pid!);
  const FRAMES = 96;
  const pad = 'x'.repeat(1024 * 1024); // 96 MiB in all: far more than the kernel's socket buffers
  process.kill(daemon, 'SIGSTOP');
  try {
    for (let id = 1; id <= FRAMES; id++) ws.send(JSON.stringify({ id, method: 'hello', params: { pad } }));
    // Wait until the page's buffer stops shrinking: the host has taken all it is going to take.
    // (Bounded: at most 60 samples half a second apart.)
    for (let sample = 0, last = -1; sample < 60 && ws.bufferedAmount !== last; sample++) {
      last = ws.bufferedAmount;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(ws.bufferedAmount, 'bytes the page still holds').toBeGreaterThan(FRAMES * pad.length * 0.5);
    expect(residentBytes(cli.child.pid!) - before, 'growth of the ui process').toBeLessThan(48 * 1024 * 1024);
  } finally {
    process.kill(daemon, 'SIGCONT');
  }
  await waitFor(() => answered.size >= FRAMES || undefined, 60_000);
  ws.close();
}, 120_000);
