/**
 * The web host against what any web page (or any local process) can make arrive at it: the three
 * inputs that crashed it (a multibyte token of the token's length, an absolute-form target, a bad
 * percent escape), then thousands of random request lines, headers, paths, tokens and upgrades on
 * raw TCP sockets. Every one is answered or closed; the host stays up and still serves its page and
 * a valid client. A share of the upgrades carries the real token, so handshakes that fail after
 * authentication (a bad key or version, a client that leaves) are exercised too, and the host's open
 * descriptors come back to where they started: no owner connection is left behind. Seeded, so a
 * failure can be replayed; bounded in count and in concurrency.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';
import { rawRequest, upgradeRequest } from '../support/raw-http';

let home: Home;
let cli: ReturnType<Home['spawnPiped']>;
let url: URL;
let port: number;

beforeAll(async () => {
  home = privateHome(nodeService('web', ['-e', 'setInterval(() => {}, 1000)']));
  cli = home.spawnPiped(['ui', '--no-open']);
  url = new URL(await waitFor(() => /Provisioning control center: (\S+)/.exec(cli.stdout())?.[1], 20_000));
  port = Number(url.port);
}, 30_000);
afterAll(async () => {
  cli.child.kill('SIGINT');
  await cli.exited;
  await home.cleanup();
});

/** The host still runs, serves its page, and answers a real client through to the engine. */
async function stillServes(): Promise<void> {
  expect(cli.child.exitCode, cli.stderr()).toBeNull();
  expect(await rawRequest(port, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)).toBe(200);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { origin: url.origin });
  const answer = new Promise<unknown>((resolve, reject) => ws.on('message', (data) => resolve(JSON.parse(data.toString()))).on('error', reject));
  ws.on('open', () => ws.send(JSON.stringify({ id: 7, method: 'status', params: {} })));
  expect(await answer).toMatchObject({ id: 7, ok: true });
  ws.close();
}

/** The `ui` process's open descriptors (sockets to browsers and to the owner among them). */
const openDescriptors = () => readdirSync(`/proc/${cli.child.pid}/fd`).length;

/** 32 characters, like the token, but 64 bytes in UTF-8. */
const MULTIBYTE = 'é'.repeat(32);

describe('the web host under malformed input', () => {
  it('answers the inputs that crashed it with 400/401 and keeps serving', async () => {
    const host = `host: 127.0.0.1:${port}\r\n`;
    const upgrade = (headers: Record<string, string>, target?: string) => upgradeRequest(port, { origin: url.origin, ...headers }, target);
    const cases: [string, number][] = [
      [`GET /?token=${encodeURIComponent(MULTIBYTE)} HTTP/1.1\r\n${host}\r\n`, 200],
      [`GET / HTTP/1.1\r\n${host}cookie: provisioning_token=${MULTIBYTE}\r\n\r\n`, 200],
      [upgrade({ 'sec-websocket-protocol': webSocketProtocols(MULTIBYTE).join(', ') }), 401],
      [upgrade({ 'sec-websocket-protocol': 'provisioning.v1' }, `/api?token=${encodeURIComponent(MULTIBYTE)}`), 401],
      [`GET http://[::1 HTTP/1.1\r\n${host}\r\n`, 400],
      [`GET /%E0%A4%A HTTP/1.1\r\n${host}\r\n`, 400],
      [`GET /%00 HTTP/1.1\r\n${host}\r\n`, 400],
      [`GET /${'a'.repeat(4000)} HTTP/1.1\r\n${host}\r\n`, 404],
    ];
    for (const [bytes, status] of cases)
      expect({ bytes: bytes.slice(0, 80), status: await rawRequest(port, Buffer.from(bytes, 'utf8')) }).toEqual({ bytes: bytes.slice(0, 80), status });
    await stillServes();
  });

  it('survives thousands of random requests and upgrades, some with the real token, then serves a valid client and holds no more descriptors than before', async () => {
    await stillServes();
    const before = openDescriptors();
    const token = fragmentToken(url.hash)!;
    const random = seeded(15);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const fragments = [
      '/',
      '/api',
      '/index.html',
      '/assets/',
      '/..',
      '/%',
      '/%E0%A4%A',
      '/%zz',
      '/%00',
      '/%C0%AE%C0%AE/',
      '//x',
      '/\u00e9',
      '/\ud83d\ude00',
      '?token=',
      '?token=' + MULTIBYTE,
      '#x',
      '*',
      'http://[::1',
      'http://127.0.0.1/',
      'a'.repeat(300),
      '%'.repeat(50),
    ];
    const target = () =>
      random() < 0.1 ? pick(['*', 'http://[::1', 'http://x/%', '', ' ']) : Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(fragments)).join('');
    const tokens = () => pick(['', token.slice(1), MULTIBYTE, 'é'.repeat(16), '\u0000'.repeat(32), 'x'.repeat(31), 'x'.repeat(33), 'x'.repeat(5000)]);
    const headerValue = () =>
      pick([
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        'evil.example',
        `127.0.0.1:${port}:1`,
        '',
        url.origin,
        'null',
        'http://evil.example',
        MULTIBYTE,
        `provisioning.v1, token.${tokens()}`,
        `token.${tokens()}`,
        ',,,,',
        'provisioning.v1,'.repeat(200),
      ]);
    const headers = () =>
      Array.from(
        { length: Math.floor(random() * 6) },
        () =>
          `${pick(['host', 'origin', 'cookie', 'sec-websocket-protocol', 'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'x-é', 'bad header', ''])}: ${headerValue()}`,
      );
    /** The bytes, and whether the client ends its side at once (a page that leaves mid-handshake) or waits for the answer. */
    const request = (): [Buffer, boolean] => {
      const kind = random();
      if (kind < 0.35) {
        const extra: Record<string, string | null> = {};
        // A quarter of them authenticated: then only the handshake itself (key, version) can be wrong.
        const authenticated = random() < 0.25;
        const names = authenticated
          ? ['sec-websocket-key', 'sec-websocket-version']
          : ['host', 'origin', 'sec-websocket-protocol', 'sec-websocket-key', 'sec-websocket-version'];
        for (const name of names)
          if (random() < 0.4)
            extra[name] = random() < 0.2 ? null : pick([headerValue(), '', 'x', '12', '8', 'dGhlIHNhbXBsZSBub25jZQ', 'AAAAAAAAAAAAAAAAAAAAAA==']);
        const offered = `provisioning.v1, token.${authenticated ? token : tokens()}`;
        return [
          Buffer.from(
            upgradeRequest(port, { origin: url.origin, 'sec-websocket-protocol': offered, ...extra }, authenticated || random() < 0.8 ? '/api' : target()),
            'utf8',
          ),
          random() < 0.5,
        ];
      }
      if (kind < 0.45) return [Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))), true];
      const method = pick(['GET', 'HEAD', 'POST', 'OPTIONS', 'get', 'G\u00e9T', '']);
      const version = pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '']);
      return [
        Buffer.from(`${method} ${target()} ${version}\r\n${random() < 0.7 ? `host: 127.0.0.1:${port}\r\n` : ''}${headers().join('\r\n')}\r\n\r\n`, 'utf8'),
        true,
      ];
    };
    const TOTAL = 3_000;
    const statuses = new Map<number, number>();
    let sent = 0;
    // 16 at a time: enough to overlap parsing with answering, few enough for a shared 2-core machine.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < TOTAL) {
          sent++;
          const [bytes, halfClose] = request();
          const status = await rawRequest(port, bytes, { idleMs: 2_000, halfClose });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    // Refusals, not only closed sockets: the host answered what it could parse.
    for (const status of [101, 400, 401, 403, 421]) expect(statuses.get(status) ?? 0, `${status} among ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    await stillServes();
    // Every browser socket and owner connection of the fuzz closes (bounded wait: closes are asynchronous).
    await waitFor(() => openDescriptors() <= before || undefined, 20_000).catch(() => undefined);
    const left = readdirSync(`/proc/${cli.child.pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${cli.child.pid}/fd/${fd}`);
      } catch {
        return 'gone';
      }
    });
    expect(left.length, `open now: ${left.join(' ')}`).toBeLessThanOrEqual(before);
  }, 30_000);
});

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
