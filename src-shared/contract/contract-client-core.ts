/**
 * The contract client without the contract's schemas: ids, the calls waiting for answers, the
 * envelope of each answer checked by hand, errors rebuilt (RemoteError), pushed messages routed by
 * kind, and the event numbering. What it does with a result and a pushed message is its `checks`:
 * ContractClient (contract-client.ts) checks them against the schemas (zod), as every face that
 * talks to a peer it does not trust must; `trustingChecks` takes them as sent — for the CLI, whose
 * owner runs as the same user behind a socket in a folder checked private to us (owner-client.ts), and whose
 * every command would otherwise pay for loading the schemas (issue 18: about a bare Node's whole start).
 */
import type { LogMessage } from './logs';
import type { MethodName, Params, Result } from './methods';
import type { OperationPlan } from './platform';
import type { EventMessage, PushedHandlers } from './pushed';
import { RemoteError } from './remote-error';
import type { StateEvent } from './service-state';
import type { TerminalExitMessage, TerminalMessage } from './terminal';

/** What a client sends: a numbered call. */
export interface Request {
  id: number;
  method: string;
  params: unknown;
}

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
  /** Output of this connection's terminals (terminal.ts). */
  onTerminal(listener: (output: TerminalMessage['terminal']) => void): Unlisten;
  onTerminalExit(listener: (exit: TerminalExitMessage['terminalExit']) => void): Unlisten;
}

/** How results and pushed messages are taken. */
export interface ContractChecks {
  /** The result as this side reads it, or what is wrong with it. */
  result(method: MethodName, result: unknown): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };
  /** Gives a pushed message to the handler of its kind; anything else is dropped. */
  pushed(message: unknown, handlers: PushedHandlers): void;
}

/** Results and pushed messages as the peer sent them, routed by their one key (pushed.ts). */
export const trustingChecks: ContractChecks = {
  result: (_method, value) => ({ ok: true, value }),
  pushed: (message, handlers) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if ('event' in m) return typeof m['seq'] === 'number' ? handlers.event?.(m as unknown as EventMessage) : undefined;
    if ('logs' in m) return typeof m['logs'] === 'object' && m['logs'] !== null ? handlers.logs?.(m['logs'] as LogMessage['logs']) : undefined;
    if ('registry' in m) return handlers.registryChanged?.((m['registry'] as { changed?: number } | null)?.changed ?? 0);
    if ('plan' in m) return handlers.plan?.(m['plan'] as OperationPlan);
    if ('terminal' in m) return handlers.terminal?.(m['terminal'] as TerminalMessage['terminal']);
    if ('terminalExit' in m) return handlers.terminalExit?.(m['terminalExit'] as TerminalExitMessage['terminalExit']);
  },
};

interface Waiting {
  readonly method: MethodName;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** An answer's envelope: `{ id, ok: true, result }` or `{ id, ok: false, error: { name, message, data? } }`. */
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { name: string; message: string; data?: unknown } };

function envelope(message: object): Answer | undefined {
  const { id, ok, error } = message as Record<string, unknown>;
  if (!Number.isInteger(id) || (ok !== true && ok !== false)) return undefined;
  if (ok) return message as Answer;
  const wire = error as Record<string, unknown> | null;
  return typeof wire === 'object' && wire !== null && typeof wire['name'] === 'string' && typeof wire['message'] === 'string' ? (message as Answer) : undefined;
}

export class ContractClientCore implements ContractApi {
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting>();
  readonly #event = new Set<(event: StateEvent, seq: number) => void>();
  readonly #gap = new Set<() => void>();
  readonly #logs = new Set<(logs: LogMessage['logs']) => void>();
  readonly #registry = new Set<(changed: number) => void>();
  readonly #plan = new Set<(plan: OperationPlan) => void>();
  readonly #terminal = new Set<(output: TerminalMessage['terminal']) => void>();
  readonly #terminalExit = new Set<(exit: TerminalExitMessage['terminalExit']) => void>();
  /** The seq of the last event given; undefined while waiting for a numbering to begin (after a subscribe, or a gap). */
  #seq: number | undefined = 0;

  /** `send` carries one request; it throws when it cannot (the call then fails with that error). */
  constructor(
    private readonly send: (request: Request) => void,
    private readonly checks: ContractChecks = trustingChecks,
  ) {}

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
    if (typeof message === 'object' && message !== null && 'id' in message && 'ok' in message) return this.#answer(message);
    this.checks.pushed(message, {
      event: (m) => this.#onEvent(m),
      logs: (m) => emit(this.#logs, m),
      registryChanged: (m) => emit(this.#registry, m),
      plan: (m) => emit(this.#plan, m),
      terminal: (m) => emit(this.#terminal, m),
      terminalExit: (m) => emit(this.#terminalExit, m),
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

  onTerminal(listener: (output: TerminalMessage['terminal']) => void): Unlisten {
    return listen(this.#terminal, listener);
  }

  onTerminalExit(listener: (exit: TerminalExitMessage['terminalExit']) => void): Unlisten {
    return listen(this.#terminalExit, listener);
  }

  #answer(message: object): void {
    const response = envelope(message);
    // A request refused unread (over the frame bound, or not JSON) is answered with id -1: the oldest waiting call is it.
    const id = response && response.id === -1 && !response.ok ? this.#waiting.keys().next().value : (message as { id: unknown }).id;
    const waiting = typeof id === 'number' ? this.#waiting.get(id) : undefined;
    if (!waiting) return;
    this.#waiting.delete(id as number);
    if (!response) return waiting.reject(protocolError(`the answer to ${waiting.method} is not a contract answer`));
    if (!response.ok) return waiting.reject(new RemoteError(response.error));
    const result = this.checks.result(waiting.method, response.result);
    if (result.ok) waiting.resolve(result.value);
    else
      waiting.reject(
        protocolError(
          `the answer to ${waiting.method} does not match this version's contract (${result.problem}); the owner may be another version: stop it and try again`,
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
