/**
 * Serves the contract on a local socket (0600, in the private state dir): the transport CLI
 * invocations use to reach the owning engine. One JSON message per line; errors cross as data.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { readLines } from '../core/read-lines';
import { methods, type MethodName, type Params, type Result } from '@shared/contract/methods';
import { requestSchema, type Response } from '@shared/contract/wire';
import type { Registry } from '@shared/model';
import type { ReloadableEngine } from '../core/reloadable-engine';

/** What a connection may cancel: its platform operations under way (closing it cancels them too). */
type Connection = { readonly operations: Set<AbortController> };
type Handlers = { [M in MethodName]: (params: Params<M>, connection: Connection) => Promise<Result<M>> };

export class ContractServer {
  readonly #server: Server;
  readonly #clients = new Set<Socket>();
  readonly #handlers: Handlers;

  constructor(
    engine: ReloadableEngine,
    hello: Result<'hello'>,
    shutdown: () => void,
    /** The registry file as it is now; throws when it is not valid. */
    readRegistry: () => Promise<Registry>,
  ) {
    this.#handlers = {
      hello: async () => hello,
      status: async () => engine.status(),
      start: ({ name }) => engine.start(name),
      stop: ({ name, force }) => engine.stop(name, { dependents: force ? 'ignore' : 'refuse' }),
      platformStart: ({ names }, connection) => cancellable(connection, (signal) => engine.platformStart(names, { signal })),
      platformStop: ({ names }, connection) => cancellable(connection, (signal) => engine.platformStop(names, { signal })),
      cancel: async (_, { operations }) => {
        operations.forEach((operation) => operation.abort());
        return { cancelled: operations.size };
      },
      lastStart: async () => (await engine.lastStart()) ?? null,
      update: async () => engine.update(await readRegistry()),
      restart: ({ name }) => engine.restart(name),
      readiness: () => engine.readiness(),
      history: async ({ name }) => [...engine.healthHistory(name)],
      // The snapshot is taken by #serve, at the moment the subscription begins.
      subscribe: async () => ({ seq: 0 as const, services: engine.status() }),
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

  #serve(socket: Socket, engine: ReloadableEngine): void {
    this.#clients.add(socket);
    let unsubscribe = () => {};
    const connection: Connection = { operations: new Set() };
    const send = (message: unknown) => socket.writable && socket.write(`${JSON.stringify(message)}\n`);
    socket.on('close', () => {
      this.#clients.delete(socket);
      connection.operations.forEach((operation) => operation.abort());
      unsubscribe();
    });
    socket.on('error', () => socket.destroy());
    readLines(socket, async (line) => {
      const request = requestSchema.safeParse(safeJson(line));
      if (!request.success) return void send({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } });
      const { id, method, params } = request.data;
      if (method === 'subscribe') {
        // Taken together with the snapshot (no await between): no event falls between the two.
        unsubscribe();
        let seq = 0;
        unsubscribe = engine.subscribe((event) => send({ seq: ++seq, event }));
      }
      send(await this.#dispatch(id, method, params, connection));
    });
  }

  async #dispatch(id: number, method: string, params: unknown, connection: Connection): Promise<Response> {
    if (!(method in methods)) return { id, ok: false, error: { name: 'ProtocolError', message: `unknown method '${method}'` } };
    const name = method as MethodName;
    const parsed = methods[name].params.safeParse(params ?? {});
    if (!parsed.success) return { id, ok: false, error: { name: 'ProtocolError', message: `bad params for ${method}` } };
    try {
      const handler = this.#handlers[name] as (params: unknown, connection: Connection) => Promise<unknown>;
      return { id, ok: true, result: await handler(parsed.data, connection) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return { id, ok: false, error: { name: failure.name, message: failure.message } };
    }
  }
}

async function cancellable<T>(connection: Connection, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  connection.operations.add(controller);
  try {
    return await operation(controller.signal);
  } finally {
    connection.operations.delete(controller);
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
