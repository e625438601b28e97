/**
 * Serves the contract on a local socket (0600, in the private state dir): the transport CLI
 * invocations use to reach the owning engine. One JSON message per line; errors cross as data.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { methods, type MethodName, type Params, type Result } from '@shared/contract/methods';
import { requestSchema, type Response } from '@shared/contract/wire';
import type { Engine } from '../core/engine';

type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

export class ContractServer {
  readonly #server: Server;
  readonly #clients = new Set<Socket>();
  readonly #handlers: Handlers;

  constructor(engine: Engine, hello: Result<'hello'>, shutdown: () => void) {
    this.#handlers = {
      hello: async () => hello,
      status: async () => engine.status(),
      start: ({ name }) => engine.start(name),
      stop: ({ name }) => engine.stop(name),
      restart: ({ name }) => engine.restart(name),
      readiness: () => engine.readiness(),
      history: async ({ name }) => [...engine.healthHistory(name)],
      subscribe: async () => ({}),
      shutdown: async () => {
        setImmediate(shutdown);
        return {};
      },
    };
    this.#server = createServer((socket) => this.#serve(socket, engine));
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

  #serve(socket: Socket, engine: Engine): void {
    this.#clients.add(socket);
    let unsubscribe = () => {};
    const send = (message: unknown) => socket.writable && socket.write(`${JSON.stringify(message)}\n`);
    socket.on('close', () => {
      this.#clients.delete(socket);
      unsubscribe();
    });
    socket.on('error', () => socket.destroy());
    createInterface({ input: socket }).on('line', async (line) => {
      const request = requestSchema.safeParse(safeJson(line));
      if (!request.success) return void send({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } });
      const { id, method, params } = request.data;
      if (method === 'subscribe') unsubscribe = engine.subscribe((event) => send({ event }));
      send(await this.#dispatch(id, method, params));
    });
  }

  async #dispatch(id: number, method: string, params: unknown): Promise<Response> {
    if (!(method in methods)) return { id, ok: false, error: { name: 'ProtocolError', message: `unknown method '${method}'` } };
    const name = method as MethodName;
    const parsed = methods[name].params.safeParse(params ?? {});
    if (!parsed.success) return { id, ok: false, error: { name: 'ProtocolError', message: `bad params for ${method}` } };
    try {
      const handler = this.#handlers[name] as (params: unknown) => Promise<unknown>;
      return { id, ok: true, result: await handler(parsed.data) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return { id, ok: false, error: { name: failure.name, message: failure.message } };
    }
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
