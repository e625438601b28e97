/**
 * The one client of the contract, whatever carries it: every face (the CLI over the local socket,
 * the desktop window over Electron IPC, the browser over the web host's WebSocket, the tests) wraps
 * this in a thin transport adapter that sends its requests and hands it what arrives.
 *
 * It numbers requests, keeps the calls waiting for answers, checks each result against the
 * method's schema, rebuilds errors (kind and data: RemoteError), and routes pushed messages by
 * kind. State events are given only in turn: after a `subscribe` is sent, events are taken from the
 * new numbering's seq 1 (what the old subscription still had in flight is stale); an event out of
 * turn is a gap — its listeners are told, and no event is given until the next numbering begins.
 */
import { methods, type MethodName, type Params, type Result } from './methods';
import type { OperationPlan } from './platform';
import { routePushed, type EventMessage } from './pushed';
import type { LogMessage } from './logs';
import type { StateEvent } from './service-state';
import { RemoteError, responseSchema, type Request } from './wire';

/** A call's params: optional when every one of them is. */
export type CallArgs<M extends MethodName> = Record<never, never> extends Params<M> ? [params?: Params<M>] : [params: Params<M>];

type Unlisten = () => void;

/** What a face uses of a client: its calls and its pushed messages, by kind. */
export interface ContractApi {
  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<Result<M>>;
  onEvent(listener: (event: StateEvent, seq: number) => void): Unlisten;
  /** An event was missed: subscribe again for a fresh snapshot. */
  onGap(listener: () => void): Unlisten;
  onLog(listener: (logs: LogMessage['logs']) => void): Unlisten;
  onRegistryChanged(listener: (changed: number) => void): Unlisten;
  onPlan(listener: (plan: OperationPlan) => void): Unlisten;
}

interface Waiting {
  readonly method: MethodName;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class ContractClient implements ContractApi {
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting>();
  readonly #event = new Set<(event: StateEvent, seq: number) => void>();
  readonly #gap = new Set<() => void>();
  readonly #logs = new Set<(logs: LogMessage['logs']) => void>();
  readonly #registry = new Set<(changed: number) => void>();
  readonly #plan = new Set<(plan: OperationPlan) => void>();
  /** The seq of the last event given; undefined while waiting for a numbering to begin (after a subscribe, or a gap). */
  #seq: number | undefined = 0;

  /** `send` carries one request; it throws when it cannot (the call then fails with that error). */
  constructor(private readonly send: (request: Request) => void) {}

  /** Calls waiting for their answer. */
  get waiting(): number {
    return this.#waiting.size;
  }

  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<Result<M>> {
    const id = this.#nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.#waiting.set(id, { method, resolve, reject }));
    if (method === 'subscribe') this.#seq = undefined;
    try {
      this.send({ id, method, params: args[0] ?? {} });
    } catch (error) {
      this.#waiting.delete(id);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return answer as Promise<Result<M>>;
  }

  /** One message as it arrived (parsed from JSON; anything else is dropped): an answer, or a pushed message. */
  receive(message: unknown): void {
    if (typeof message === 'object' && message !== null && 'id' in message && 'ok' in message) return this.#answer(message as { id: unknown });
    routePushed(message, {
      event: (m) => this.#onEvent(m),
      logs: (m) => emit(this.#logs, m),
      registryChanged: (m) => emit(this.#registry, m),
      plan: (m) => emit(this.#plan, m),
    });
  }

  /** The transport closed: every waiting call fails with `error`, and events start over with the next subscription. */
  transportClosed(error: Error): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#seq = 0;
    waiting.forEach(({ reject }) => reject(error));
  }

  onEvent(listener: (event: StateEvent, seq: number) => void): Unlisten {
    return listen(this.#event, listener);
  }

  onGap(listener: () => void): Unlisten {
    return listen(this.#gap, listener);
  }

  onLog(listener: (logs: LogMessage['logs']) => void): Unlisten {
    return listen(this.#logs, listener);
  }

  onRegistryChanged(listener: (changed: number) => void): Unlisten {
    return listen(this.#registry, listener);
  }

  onPlan(listener: (plan: OperationPlan) => void): Unlisten {
    return listen(this.#plan, listener);
  }

  #answer(message: { id: unknown }): void {
    const parsed = responseSchema.safeParse(message);
    // A request refused unread (over the frame bound, or not JSON) is answered with id -1: the oldest waiting call is it.
    const id = parsed.success && parsed.data.id === -1 && !parsed.data.ok ? this.#waiting.keys().next().value : message.id;
    const waiting = typeof id === 'number' ? this.#waiting.get(id) : undefined;
    if (!waiting) return;
    this.#waiting.delete(id as number);
    if (!parsed.success) return waiting.reject(protocolError(`the answer to ${waiting.method} is not a contract answer`));
    const response = parsed.data;
    if (!response.ok) return waiting.reject(new RemoteError(response.error));
    const result = methods[waiting.method].result.safeParse(response.result);
    if (result.success) waiting.resolve(result.data);
    else
      waiting.reject(
        protocolError(
          `the answer to ${waiting.method} does not match this version's contract (${result.error.issues[0]?.message ?? 'invalid'}); the owner may be another version: stop it and try again`,
        ),
      );
  }

  #onEvent({ seq, event }: EventMessage): void {
    if (seq === 1 || (this.#seq !== undefined && seq === this.#seq + 1)) {
      this.#seq = seq;
      return this.#event.forEach((listener) => listener(event, seq));
    }
    // Waiting for a numbering to begin: what arrives before it belongs to the old one.
    if (this.#seq === undefined) return;
    this.#seq = undefined;
    this.#gap.forEach((listener) => listener());
  }
}

function listen<L>(listeners: Set<L>, listener: L): Unlisten {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  listeners.forEach((listener) => listener(value));
}

function protocolError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ProtocolError' });
}
