/**
 * `provisioning ui`: the web host as a real process in front of a real daemon, driven over HTTP and
 * WebSocket: loopback only, nothing without the token, no WebSocket from another origin, and the
 * contract answering through it.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';

let home: Home;
let cli: ReturnType<Home['spawnPiped']>;
let url: URL;

beforeAll(async () => {
  home = privateHome(nodeService('web', ['-e', 'setInterval(() => {}, 1000)']));
  cli = home.spawnPiped(['ui', '--no-open']);
  const line = await waitFor(() => /Provisioning control center: (\S+)/.exec(cli.stdout())?.[1], 20_000);
  url = new URL(line);
}, 30_000);
afterAll(async () => {
  cli.child.kill('SIGINT');
  await cli.exited;
  await home.cleanup();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) =>
    request({ host: '127.0.0.1', port: url.port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    })
      .on('error', reject)
      .end(),
  );
}

const token = () => url.searchParams.get('token')!;
const cookie = () => `provisioning_token=${token()}`;

function socket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the web host', () => {
  it('answers nothing without the token, and swaps the token in the URL for an HttpOnly cookie', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/', { cookie: 'provisioning_token=guess' })).status).toBe(401);
    const first = await get(`/?token=${token()}`);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/');
    expect(first.headers['set-cookie']).toEqual([`provisioning_token=${token()}; HttpOnly; SameSite=Strict; Path=/`]);
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect((await get('/../../../../etc/passwd', { cookie: cookie() })).status).toBe(404);
  });

  it('listens on 127.0.0.1 only', async () => {
    const outside = Object.values(networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal);
    expect(outside, 'a non-loopback address to try').toBeDefined();
    const refused = await new Promise<string>((resolve) => connect(Number(url.port), outside!.address).on('connect', () => resolve('connected')).on('error', (error: NodeJS.ErrnoException) => resolve(error.code!)));
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(socket({ origin: url.origin })).rejects.toThrow('HTTP 401');
    await expect(socket({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow('HTTP 403');
  });

  it('serves the contract: a request is answered by the owning engine, a malformed one is refused as data', async () => {
    const ws = await socket({ origin: url.origin, cookie: cookie() });
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 1, method: 'status', params: {} }));
    ws.send('not json');
    await waitFor(() => messages.length >= 2);
    expect(messages).toContainEqual({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } });
    expect(messages).toContainEqual({ id: 1, ok: true, result: [expect.objectContaining({ name: 'web', state: 'stopped' })] });
    ws.close();
  });
});
