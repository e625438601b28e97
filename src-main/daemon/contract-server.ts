/**
 * Serves the contract on a local socket (0600, in the private state dir): the transport CLI
 * invocations use to reach the owning engine. One JSON message per line; each connection is a
 * ContractSession.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { readLines } from '../core/read-lines';
import type { ReloadableEngine } from '../core/reloadable-engine';
import { contractHandlers, ContractSession, type ContractHandlers, type OwnerFacts, type SessionSources } from './contract-session';

export class ContractServer {
  readonly #server: Server;
  readonly #clients = new Set<Socket>();
  readonly #handlers: ContractHandlers;

  readonly #sources: SessionSources;

  constructor(engine: ReloadableEngine, owner: OwnerFacts) {
    this.#handlers = contractHandlers(engine, owner);
    this.#sources = { engine, registry: owner.registry };
    this.#server = createServer((socket) => this.#serve(socket));
  }

  get clients(): number {
    return this.#clients.size;
  }

  async listen(path: string): Promise<void> {
    // Only the lock holder gets here, so a socket file left by a dead owner is safe to replace.
    await rm(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => resolve());
    });
    await chmod(path, 0o600);
  }

  close(): Promise<void> {
    for (const client of this.#clients) client.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #serve(socket: Socket): void {
    this.#clients.add(socket);
    const session = new ContractSession(this.#sources, this.#handlers, (message) => socket.writable && socket.write(`${JSON.stringify(message)}\n`), () => socket.writableLength);
    socket.on('close', () => {
      this.#clients.delete(socket);
      session.close();
    });
    socket.on('error', () => socket.destroy());
    readLines(socket, (line) => void session.receive(safeJson(line)));
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
