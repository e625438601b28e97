/**
 * The loopback web host: serves the built renderer and the contract over WebSocket, on 127.0.0.1
 * only. Every request must name our own Host, `127.0.0.1:<port>` (DNS rebinding; not `localhost`,
 * which browsers may send to ::1, where another user can listen) and carry an origin-form target; the
 * static files hold no secret. A WebSocket needs the Origin of the page we serve and the per-launch
 * token, which the printed URL carries in its fragment and the page sends as a subprotocol
 * (src-shared/contract/web-session.ts): no cookie, which 127.0.0.1's other ports would receive.
 * Each WebSocket is bridged to the owning engine's local socket: requests are checked against the
 * contract's wire schema here, at the boundary, and the CLI's own methods are refused; answers and
 * events pass back, each way with backpressure (a side that cannot keep up stops the other's reading).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestSchema } from '@shared/contract/wire';
import { takesClientEnv, withClientEnv, type ClientEnv } from '@shared/contract/client-env';
import { cliOnlyRefusal } from '@shared/contract/cli-only';
import { isFile } from '../core/is-file';
import { WEB_PROTOCOL } from '@shared/contract/web-session';
import { readLines } from '../core/read-lines';
import { MAX_FRAME_BYTES, requestTooLarge } from '../daemon/frame-limit';
import { hostNames, requestRefusal, targetPath, upgradeRefusal, type Refusal } from './request-checks';

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
  /**
   * What a browser's starts carry for env references (a browser has no environment): this
   * process's values, asked for each request so that they follow the registry as it is now.
   */
  readonly clientEnv?: () => Promise<ClientEnv>;
}

export interface WebHost {
  /** The URL to open, token in its fragment (printed once). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HIGH_WATER = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const STATUS_TEXT: Record<Refusal['status'] | 503, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
  503: 'Service Unavailable',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  let hosts: ReadonlySet<string> = new Set();

  const server: Server = createServer((request, response) => {
    const refusal =
      requestRefusal(request.url, request.headers, hosts) ??
      (request.method === 'GET' || request.method === 'HEAD' ? undefined : { status: 405 as const, reason: 'only GET' });
    if (refusal) return void plain(response, refusal.status, refusal.reason);
    serveFile(options.root, targetPath(request.url)!, response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, handleProtocols: () => WEB_PROTOCOL });
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    // Node took its own error handler off this socket: a browser leaving must not crash us.
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(request.url, request.headers, hosts, token);
    if (refusal) return void refuse(socket, refusal.status, refusal.reason);
    // The owner is reached first, so the browser's socket opens only once requests can be carried.
    options
      .openOwner()
      .then(declaredWeb)
      .then(
        (owner) => {
          if (socket.destroyed) return void owner.destroy();
          owner.on('error', () => owner.destroy());
          // ws answers a bad handshake (key, version) itself and never calls back: the owner goes too.
          socket.once('close', () => owner.destroy());
          sockets.handleUpgrade(request, socket, head, (ws) => bridge(ws, owner, options.clientEnv ?? (async () => ({}))));
        },
        (error: Error) => refuse(socket, 503, error.message),
      );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = hostNames(port);
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: () => {
      sockets.clients.forEach((client) => client.terminate());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The owner cannot tell a relayed connection from the CLI's: each is told, before the page's first
 * request, that it serves the web — what the owner refuses a browser (terminals while they are off,
 * turning them on) it then refuses on it. The page cannot say it (cli-only.ts). It fails closed:
 * only the owner's ok answer to that request lets the page's socket open (an owner that refused
 * it, said something else or nothing in time would serve the page as the CLI).
 */
const DECLARE_TIMEOUT_MS = 5_000;
const DECLARE_ID = 0;

function declaredWeb(owner: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const refused = (why: string) => {
      clearTimeout(timer);
      reader.close();
      owner.off('close', closed);
      owner.destroy();
      reject(
        new Error(
          `the owner did not take this connection as the browser's (${why}); reload the page, or restart \`provisioning ui\` and the owner if it persists`,
        ),
      );
    };
    const closed = () => refused('it closed the connection');
    const timer = setTimeout(() => refused(`no answer in ${DECLARE_TIMEOUT_MS / 1000} s`), DECLARE_TIMEOUT_MS);
    // Its errors end in its close (refused above), never in an unhandled 'error'.
    owner.on('error', () => owner.destroy()).once('close', closed);
    const reader = readLines(owner, (line) => {
      const answer = parsed(line);
      if (answer?.['id'] !== DECLARE_ID) return refused('its first line was not the answer to sessionFace');
      if (answer['ok'] !== true)
        return refused(`it answered: ${String((answer['error'] as { message?: unknown } | undefined)?.message ?? 'not ok').slice(0, 200)}`);
      clearTimeout(timer);
      reader.close();
      owner.off('close', closed);
      resolve(owner);
    });
    owner.write(`${JSON.stringify({ id: DECLARE_ID, method: 'sessionFace', params: { face: 'web' } })}\n`);
  });
}

function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function refuse(socket: Duplex, status: Refusal['status'] | 503, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${reason}\n`);
}

/** One WebSocket ↔ one connection to the owner, one JSON message per frame / per line. */
function bridge(ws: WebSocket, owner: Socket, clientEnv: () => Promise<ClientEnv>): void {
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
  // The other way too: while the owner's socket is full, the page's frames stay in the kernel (and
  // then in the browser) rather than in this process.
  owner.on('drain', () => ws.resume());
  // Requests reach the owner in the order sent, though some wait for the environment they carry.
  let sending = Promise.resolve();
  let queued = 0;
  ws.on('message', (data) => {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const request = requestSchema.safeParse(message);
    if (!request.success) return void ws.send(JSON.stringify({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } }));
    // `provisioning run` holds services for its connection: a page must not (cli-only.ts).
    const refusal = cliOnlyRefusal(request.data);
    if (refusal) return void ws.send(JSON.stringify(refusal));
    // At most one request waits here: the next frame is not read until this one has gone to the owner.
    queued++;
    if (queued > 1) ws.pause();
    sending = sending
      .then(async () => {
        const withEnv = takesClientEnv(request.data.method) ? withClientEnv(request.data, await clientEnv()) : request.data;
        const line = `${JSON.stringify(withEnv)}\n`;
        queued--;
        // maxPayload bounded the page's frame; the environment added to it is bounded here.
        if (Buffer.byteLength(line) > MAX_FRAME_BYTES) return void ws.send(JSON.stringify({ ...requestTooLarge, id: request.data.id }));
        if (!owner.destroyed && !owner.write(line)) ws.pause();
        else if (queued === 0) ws.resume();
      })
      // Not expected (the environment is read without throwing); the page reconnects.
      .catch(close);
  });
}

function serveFile(root: string, pathname: string, response: ServerResponse): void {
  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  const file = join(root, relative === '' ? 'index.html' : relative);
  if (!file.startsWith(root + sep) || !isFile(file)) return void plain(response, 404, 'not found');
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  // pipeline, not pipe: a client that leaves mid-file closes the file too (else every dropped
  // request would leak a descriptor until the host ran out).
  pipeline(createReadStream(file), response, () => undefined);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}
