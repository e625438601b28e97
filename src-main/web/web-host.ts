/**
 * The loopback web host: serves the built renderer and the contract over WebSocket, on 127.0.0.1
 * only, behind a random token. The token arrives once in the URL and is swapped for an HttpOnly,
 * SameSite=Strict cookie; every request without it gets 401, and a WebSocket upgrade from another
 * origin is refused. Each WebSocket is bridged to the owning engine's local socket: requests are
 * checked against the contract's wire schema here, at the boundary; answers and events pass back.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestSchema } from '@shared/contract/wire';
import { readLines } from '../core/read-lines';

export interface WebHostOptions {
  /** The built renderer (index.html and assets). */
  readonly root: string;
  /**
   * A connection to the owner's local socket, where the contract is served — one per browser
   * connection, so a browser that reconnects after the owner went away reaches the next one.
   */
  readonly openOwner: () => Promise<Socket>;
  /** 0 for any free port. */
  readonly port: number;
}

export interface WebHost {
  /** The URL to open, token included (printed once). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const COOKIE = 'provisioning_token';
const HIGH_WATER = 1024 * 1024;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const authorized = (request: IncomingMessage, url: URL) => same(url.searchParams.get('token'), token) || same(cookie(request, COOKIE), token);
  let origin = '';

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!authorized(request, url)) return void plain(response, 401, 'a token is needed: open the URL `provisioning ui` printed');
    if (url.searchParams.has('token')) {
      // The token leaves the URL (history, referrers) for a cookie scripts cannot read.
      response.writeHead(303, { location: url.pathname, 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
      return void response.end();
    }
    serveFile(options.root, url.pathname, response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const fromHere = request.headers.origin === undefined || request.headers.origin === origin;
    if (url.pathname !== '/api' || !authorized(request, url) || !fromHere) {
      socket.end(`HTTP/1.1 ${fromHere ? '401 Unauthorized' : '403 Forbidden'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    // The owner is reached first, so the browser's socket opens only once requests can be carried.
    // Node took its own error handler off this socket: a browser leaving meanwhile must not crash us.
    socket.on('error', () => socket.destroy());
    options.openOwner().then(
      (owner) => {
        if (socket.destroyed) return void owner.destroy();
        sockets.handleUpgrade(request, socket, head, (ws) => bridge(ws, owner));
      },
      (error: Error) => socket.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${error.message}\n`),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    port,
    close: () => {
      sockets.clients.forEach((client) => client.terminate());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** One WebSocket ↔ one connection to the owner, one JSON message per frame / per line. */
function bridge(ws: WebSocket, owner: Socket): void {
  const close = () => {
    ws.close();
    owner.destroy();
  };
  owner.on('error', close).on('close', close);
  ws.on('close', close).on('error', close);
  // A browser that cannot keep up stops the reading here, so the owner sees its socket fill and
  // drops log batches (with a gap marker) instead of this process buffering without bound.
  let waiting: NodeJS.Timeout | undefined;
  readLines(owner, (line) => {
    ws.send(line);
    if (ws.bufferedAmount <= HIGH_WATER || waiting) return;
    owner.pause();
    waiting = setInterval(() => {
      if (ws.bufferedAmount > HIGH_WATER / 4) return;
      clearInterval(waiting);
      waiting = undefined;
      owner.resume();
    }, 20);
  });
  ws.on('close', () => clearInterval(waiting));
  ws.on('message', (data) => {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const request = requestSchema.safeParse(message);
    if (!request.success) return void ws.send(JSON.stringify({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } }));
    owner.write(`${JSON.stringify(request.data)}\n`);
  });
}

function serveFile(root: string, pathname: string, response: ServerResponse): void {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const file = join(root, relative === '' ? 'index.html' : relative);
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return void plain(response, 404, 'not found');
  response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' });
  createReadStream(file).pipe(response);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Compared in constant time: the token is a secret. */
function same(given: string | null | undefined, token: string): boolean {
  if (!given || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}
