/**
 * `provisioning ui`: the web host as a real process in front of a real daemon, driven over HTTP and
 * WebSocket: loopback only, our own Host only, no cookie ever, a WebSocket only with the page's
 * Origin and the token of the printed URL's fragment, and the contract answering through it —
 * where a new registry path waits for the person's confirmation.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { chownSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';
import { rawRequest, upgradeRequest } from '../support/raw-http';

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

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
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

const token = () => fragmentToken(url.hash)!;

function socket(protocols: string[], headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

/** One request over the page's own kind of connection; the answer to it. */
async function call(
  ws: WebSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<{ ok: boolean; result?: Record<string, unknown>; error?: { message: string } }> {
  const answer = new Promise<string>((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      if ((JSON.parse(data.toString()) as { id?: number }).id !== id) return;
      ws.off('message', listener);
      resolve(data.toString());
    };
    ws.on('message', listener);
  });
  ws.send(JSON.stringify({ id, method, params }));
  return JSON.parse(await answer) as { ok: boolean };
}

describe('the web host', () => {
  it('prints the token in the fragment only, and serves the page (no secret in it) to its own Host, never setting a cookie', async () => {
    expect(url.origin).toBe(`http://127.0.0.1:${url.port}`);
    expect(url.pathname + url.search).toBe('/');
    expect(token()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).not.toContain(token());
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect((await get('/../../../../etc/passwd')).status).toBe(404);
  });

  it('answers 421 to any other Host (a DNS-rebinding page, localhost), and 405 to what is not GET', async () => {
    expect((await get('/', { host: `evil.example:${url.port}` })).status).toBe(421);
    expect((await get('/', { host: '127.0.0.1' })).status).toBe(421);
    // Not localhost: browsers try ::1 for it, where another user can bind this same port.
    expect((await get('/', { host: `localhost:${url.port}` })).status).toBe(421);
    expect((await get('/', { host: `[::1]:${url.port}` })).status).toBe(421);
    expect((await get('/', { host: `127.0.0.1:${Number(url.port) + 1}` })).status).toBe(421);
    expect(await rawRequest(Number(url.port), `POST / HTTP/1.1\r\nhost: 127.0.0.1:${url.port}\r\ncontent-length: 0\r\n\r\n`)).toBe(405);
  });

  it('listens on 127.0.0.1 only', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    expect(outside, 'a non-loopback address to try').toBeDefined();
    const refused = await new Promise<string>((resolve) =>
      connect(Number(url.port), outside!.address)
        .on('connect', () => resolve('connected'))
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code!)),
    );
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses an upgrade without Origin (403), from another Origin (403), for another Host (421), or without the right token (401)', async () => {
    const port = Number(url.port);
    const protocol = webSocketProtocols(token()).join(', ');
    const status = (headers: Record<string, string | null>) =>
      rawRequest(port, upgradeRequest(port, { origin: url.origin, 'sec-websocket-protocol': protocol, ...headers }));
    expect(await status({ origin: null })).toBe(403);
    expect(await status({ origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await status({ origin: 'http://evil.example' })).toBe(403);
    expect(await status({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toBe(421);
    expect(await status({ 'sec-websocket-protocol': null })).toBe(400);
    expect(await status({ 'sec-websocket-protocol': 'provisioning.v1' })).toBe(401);
    expect(await status({ 'sec-websocket-protocol': webSocketProtocols('x'.repeat(32)).join(', ') })).toBe(401);
    // The old cookie and query forms open nothing.
    expect(await status({ 'sec-websocket-protocol': 'provisioning.v1', cookie: `provisioning_token=${token()}` })).toBe(401);
    expect(await rawRequest(port, upgradeRequest(port, { origin: url.origin, 'sec-websocket-protocol': 'provisioning.v1' }, `/api?token=${token()}`))).toBe(
      401,
    );
    expect(await status({})).toBe(101);
  });

  it('serves the contract: a request is answered by the owning engine, a malformed one is refused as data', async () => {
    const ws = await socket(webSocketProtocols(token()), { origin: url.origin });
    expect(ws.protocol).toBe('provisioning.v1');
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 1, method: 'status', params: {} }));
    ws.send('not json');
    await waitFor(() => messages.length >= 2);
    expect(messages).toContainEqual({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } });
    expect(messages).toContainEqual({ id: 1, ok: true, result: [expect.objectContaining({ name: 'web', state: 'stopped' })] });
    ws.close();
  });

  it('changes the registry path only with the code issued to this connection for what the new file runs, once, and asks again once the file changed', async () => {
    const ws = await socket(webSocketProtocols(token()), { origin: url.origin });
    const other = join(home.home, 'other.toml');
    writeFileSync(other, nodeService('other', ['-e', '"the other registry"']));
    const asked = await call(ws, 1, 'updateSettings', { registryPath: other });
    expect(asked.result).toMatchObject({
      registryPath: null,
      confirmation: { registryPath: other, file: other, runs: [{ service: 'other', mode: 'binary', runs: [expect.stringContaining('the other registry')] }] },
    });
    const { code } = asked.result!['confirmation'] as { code: string };
    expect((await call(ws, 2, 'settings', {})).result).toMatchObject({ registryPath: null });
    expect((await call(ws, 3, 'updateSettings', { registryPath: other, confirmRegistry: 'guessed' })).result).toMatchObject({
      registryPath: null,
      confirmation: { file: other },
    });
    // Another connection (any other client of the owner) cannot echo this connection's code.
    const bystander = await socket(webSocketProtocols(token()), { origin: url.origin });
    const echoed = await call(bystander, 1, 'updateSettings', { registryPath: other, confirmRegistry: code });
    expect(echoed.result).toMatchObject({ registryPath: null, confirmation: { file: other } });
    bystander.close();
    // Edited after it was shown: the old confirmation no longer holds.
    const shown = (await call(ws, 4, 'updateSettings', { registryPath: other })).result!['confirmation'] as { code: string };
    writeFileSync(other, nodeService('other', ['-e', '"edited since"']));
    const again = await call(ws, 5, 'updateSettings', { registryPath: other, confirmRegistry: shown.code });
    expect(again.result).toMatchObject({ registryPath: null, confirmation: { runs: [{ runs: [expect.stringContaining('edited since')] }] } });
    const fresh = (again.result!['confirmation'] as { code: string }).code;
    expect((await call(ws, 6, 'updateSettings', { registryPath: other, confirmRegistry: fresh })).result).toEqual({
      theme: 'system',
      closeToTray: true,
      stopOnQuit: 'ask',
      registryPath: other,
      webTerminals: false,
    });
    // Back to the default is a change of commands too; and a spent code does not apply again.
    const back = (await call(ws, 7, 'updateSettings', { registryPath: null })).result!['confirmation'] as { code: string; registryPath: null };
    expect(back.registryPath).toBeNull();
    expect((await call(ws, 8, 'updateSettings', { registryPath: null, confirmRegistry: back.code })).result).toMatchObject({ registryPath: null });
    expect((await call(ws, 9, 'updateSettings', { registryPath: other, confirmRegistry: fresh })).result).toMatchObject({
      registryPath: null,
      confirmation: { file: other },
    });
    // A symlink is stored as the file it names, so a later swap of the link changes nothing.
    const link = join(home.home, 'link.toml');
    const thirdFile = join(home.home, 'third.toml');
    writeFileSync(thirdFile, nodeService('third', ['-e', '""']));
    symlinkSync(thirdFile, link);
    const third = (await call(ws, 10, 'updateSettings', { registryPath: link })).result!['confirmation'] as { code: string; registryPath: string };
    expect(third.registryPath).toBe(thirdFile);
    expect((await call(ws, 11, 'updateSettings', { registryPath: link, confirmRegistry: third.code })).result).toMatchObject({ registryPath: thirdFile });
    rmSync(link);
    // A file another user could rewrite after it was confirmed is named as such. Making a file of
    // another user's needs root (these tests run as root); as anyone else this part is skipped, loudly.
    if (process.getuid?.() === 0) {
      const theirs = join(home.home, 'theirs.toml');
      writeFileSync(theirs, nodeService('theirs', ['-e', '""']));
      chownSync(theirs, 65534, 65534);
      expect((await call(ws, 12, 'updateSettings', { registryPath: theirs })).result).toMatchObject({
        confirmation: { warnings: ['the file belongs to another user (uid 65534), who can change what it runs'] },
      });
    } else console.warn('SKIPPED: the warning for a registry file of another user needs root (chown to uid 65534)');
    ws.close();
  });
});
