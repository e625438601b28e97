/**
 * HTTP as bytes on a TCP socket (node:net), for what a real client library refuses to send: odd
 * request lines, headers and upgrades. Answers the status code of the reply (0 when the server
 * closed without one, or none came within the idle bound).
 */
import { connect } from 'node:net';

/** `halfClose` ends the sending side after the bytes, so an incomplete request is answered at once instead of waited on. */
export function rawRequest(port: number, bytes: string | Buffer, { idleMs = 5_000, halfClose = false } = {}): Promise<number> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(port, '127.0.0.1', () => (halfClose ? socket.end(bytes) : socket.write(bytes)));
    const done = () => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0));
    };
    socket.setTimeout(idleMs, done);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done();
    });
    socket.on('error', done).on('close', done);
  });
}

/** A WebSocket upgrade of /api with the given headers (null leaves one out), as raw bytes. */
export function upgradeRequest(port: number, headers: Record<string, string | null>, target = '/api'): string {
  const all: Record<string, string | null> = {
    host: `127.0.0.1:${port}`,
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-version': '13',
    ...headers,
  };
  const lines = Object.entries(all).flatMap(([name, value]) => (value === null ? [] : [`${name}: ${value}`]));
  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
