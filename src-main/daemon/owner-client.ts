/**
 * A face's connection to the engine that owns supervision: typed calls over the local socket, and
 * the event stream. `connectToOwner` starts the headless daemon when nobody owns the home yet.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { readLines } from '../core/read-lines';
import type { StateEvent } from '@shared/contract/service-state';
import { methods, type MethodName, type Params, type Result } from '@shared/contract/methods';
import { eventMessageSchema, RemoteError, responseSchema } from '@shared/contract/wire';
import { stateDirs } from '../core/state/state-store';
import { daemonLogPath, daemonSocketPath } from './daemon-paths';

export class OwnerClient {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #listeners = new Set<(event: StateEvent, seq: number) => void>();
  readonly #pushed = new Set<(message: unknown) => void>();

  private constructor(private readonly socket: Socket) {
    readLines(socket, (line) => this.#receive(line));
    socket.on('close', () => {
      for (const { reject } of this.#pending.values()) reject(new OwnerUnavailableError('the daemon closed the connection before answering; run the command again to see the state'));
      this.#pending.clear();
    });
  }

  static async connect(path: string): Promise<OwnerClient> {
    return new OwnerClient(await openOwnerSocket(path));
  }

  async call<M extends MethodName>(method: M, ...args: Record<never, never> extends Params<M> ? [params?: Params<M>] : [params: Params<M>]): Promise<Result<M>> {
    const id = this.#nextId++;
    const result = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.socket.write(`${JSON.stringify({ id, method, params: args[0] ?? {} })}\n`);
    return methods[method].result.parse(await result) as Result<M>;
  }

  onEvent(listener: (event: StateEvent, seq: number) => void): void {
    this.#listeners.add(listener);
  }

  /** Other pushed messages: log batches, registry changes. */
  onMessage(listener: (message: unknown) => void): void {
    this.#pushed.add(listener);
  }

  close(): void {
    this.socket.end();
  }

  #receive(line: string): void {
    const message: unknown = JSON.parse(line);
    const event = eventMessageSchema.safeParse(message);
    if (event.success) return this.#listeners.forEach((listener) => listener(event.data.event, event.data.seq));
    const parsed = responseSchema.safeParse(message);
    if (!parsed.success) return this.#pushed.forEach((listener) => listener(message));
    const response = parsed.data;
    const waiting = this.#pending.get(response.id);
    if (!waiting) return;
    this.#pending.delete(response.id);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new RemoteError(response.error));
  }
}

/** A connected socket to an owner (the raw wire: one JSON message per line), or the connect error. */
export function openOwnerSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => socket.destroy());
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export class OwnerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnerUnavailableError';
  }
}

export class OwnerMismatchError extends Error {
  constructor(owner: Result<'hello'>, wanted: string) {
    super(`the daemon (pid ${owner.pid}) supervises ${owner.registry}, not ${wanted}; run \`provisioning daemon stop\` to switch registries`);
    this.name = 'OwnerMismatchError';
  }
}

export interface OwnerTarget {
  readonly home: string;
  readonly registryPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The CLI entry that runs `daemon`. */
  readonly cli: string;
}

/** Connects to the owner of the home, starting the daemon when there is none. */
export async function connectToOwner(target: OwnerTarget, timeoutMs = 10_000): Promise<OwnerClient> {
  const socketPath = daemonSocketPath(target.home);
  let client = await OwnerClient.connect(socketPath).catch(() => undefined);
  if (!client) {
    startDaemon(target);
    const deadline = Date.now() + timeoutMs;
    while (!client) {
      if (Date.now() > deadline) throw new OwnerUnavailableError(`the daemon did not start within ${timeoutMs / 1000}s; see ${daemonLogPath(target.home)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      client = await OwnerClient.connect(socketPath).catch(() => undefined);
    }
  }
  const owner = await client.call('hello');
  if (owner.registry !== target.registryPath) {
    client.close();
    throw new OwnerMismatchError(owner, target.registryPath);
  }
  return client;
}

/** Several clients may race here; the daemons race for the owner lock and all but one exit. */
function startDaemon(target: OwnerTarget): void {
  mkdirSync(stateDirs(target.home).root, { recursive: true, mode: 0o700 });
  const log = openSync(daemonLogPath(target.home), 'a', 0o600);
  const daemon = spawn(process.execPath, [target.cli, 'daemon', 'run', '--config', target.registryPath], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...target.env, PROVISIONING_HOME: target.home },
  });
  daemon.unref();
}
