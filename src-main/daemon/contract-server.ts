/**
 * Serves the contract on a local socket (0600, in the private state dir): the transport CLI
 * invocations use to reach the owning engine. One JSON message per line, each at most
 * MAX_FRAME_BYTES both ways; each connection is a ContractSession. Connections are bounded in
 * number and all closed at once when it stops — it never waits on one.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { readLines } from '../core/read-lines';
import { boundedFrame, MAX_FRAME_BYTES, requestTooLarge } from './frame-limit';
import { listenerAt } from './owner-lock';
import type { Engine } from '../core/engine';
import { contractHandlers, ContractSession, type ContractHandlers, type OwnerFacts, type SessionSources } from './contract-session';

/** Clients served at once (CLIs, the web host's relays, log follows); more are closed on arrival. */
export const MAX_CLIENTS = 128;

export class ContractServer {
  readonly #server: Server;
  readonly #clients = new Set<Socket>();
  readonly #handlers: ContractHandlers;

  readonly #sources: SessionSources;

  constructor(engine: Engine, owner: OwnerFacts) {
    this.#handlers = contractHandlers(engine, owner);
    this.#sources = { engine, registry: owner.registry };
    this.#server = createServer((socket) => this.#serve(socket));
    this.#server.maxConnections = MAX_CLIENTS;
  }

  get clients(): number {
    return this.#clients.size;
  }

  async listen(path: string): Promise<void> {
    // Only the lock holder gets here, so a socket there was left by a dead owner — unless a manager
    // of another version (another lock) serves it: that one is never removed.
    if ((await listenerAt(path)) === 'alive')
      throw new Error(`another manager serves ${path}; stop it with \`provisioning daemon stop\` and run the command again`);
    await rm(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => resolve());
    });
    await chmod(path, 0o600);
  }

  /** Stops listening and drops every connection at once; nothing a client does can delay it. */
  close(): Promise<void> {
    this.#server.close();
    for (const client of this.#clients) client.destroy();
    return Promise.resolve();
  }

  #serve(socket: Socket): void {
    this.#clients.add(socket);
    const send = (message: unknown) => {
      const frame = boundedFrame(message);
      if (frame && socket.writable) socket.write(`${frame.json}\n`);
    };
    const session = new ContractSession(this.#sources, this.#handlers, send, () => socket.writableLength);
    socket.on('close', () => {
      this.#clients.delete(socket);
      session.close();
    });
    socket.on('error', () => socket.destroy());
    readLines(socket, (line) => void session.receive(safeJson(line)), { maxLineBytes: MAX_FRAME_BYTES, onOverLimit: () => send(requestTooLarge) });
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
