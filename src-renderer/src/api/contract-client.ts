/**
 * The renderer's one way to the engine: the contract, over Electron IPC when the preload bridge is
 * there, else over the web host's WebSocket (reconnecting, with this tab's token as a subprotocol:
 * src-shared/contract/web-session.ts). Answers are checked against the
 * contract's result schemas and errors are rebuilt with their kind; pushed messages (state events,
 * log batches, registry changes) go to listeners.
 */
import { methods, type MethodName, type Params, type Result } from '@shared/contract/methods';
import { webSocketProtocols } from '@shared/contract/web-session';
import { RemoteError, responseSchema } from '@shared/contract/wire';

export interface ContractClient {
  call<M extends MethodName>(method: M, ...params: Record<never, never> extends Params<M> ? [params?: Params<M>] : [params: Params<M>]): Promise<Result<M>>;
  /** Pushed messages; returns how to stop listening. */
  onPush(listener: (message: unknown) => void): () => void;
  /** Called after the connection came back: subscriptions and follows must be made again. */
  onReconnect(listener: () => void): () => void;
}

/** What the preload exposes as `window.provisioning` in the desktop app. */
interface PreloadBridge {
  call(method: string, params?: unknown): Promise<unknown>;
  onMessage(listener: (message: unknown) => void): () => void;
}

declare global {
  interface Window {
    provisioning?: PreloadBridge;
  }
}

/**
 * Opens in a row that never succeed before the tab gives up on its token: each `provisioning ui`
 * launch has a new one, so a tab left from an earlier launch (or a host that is gone) would
 * otherwise retry forever. A browser does not say why an open failed; with backoff this is ~8 s.
 */
export const FAILED_OPENS_BEFORE_GIVING_UP = 5;

/**
 * The engine's contract: over the preload bridge in the desktop app, else over the web host with
 * this tab's token; `onTokenRefused` once the host has refused it FAILED_OPENS_BEFORE_GIVING_UP times running.
 */
export function connectContract(token: string | undefined, onTokenRefused: () => void = () => undefined): ContractClient | undefined {
  if (window.provisioning) return ipcClient(window.provisioning);
  return token === undefined ? undefined : webSocketClient(new URL('/api', window.location.href.replace(/^http/, 'ws')).href, webSocketProtocols(token), onTokenRefused);
}

function checked<M extends MethodName>(method: M, result: unknown): Result<M> {
  return methods[method].result.parse(result) as Result<M>;
}

function ipcClient(bridge: PreloadBridge): ContractClient {
  return {
    call: async (method, ...params) => checked(method, await bridge.call(method, params[0] ?? {})),
    onPush: (listener) => bridge.onMessage(listener),
    onReconnect: () => () => undefined,
  };
}

type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void };

function webSocketClient(url: string, protocols: string[], onTokenRefused: () => void): ContractClient {
  const pending = new Map<number, Pending>();
  const pushed = new Set<(message: unknown) => void>();
  const reconnected = new Set<() => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;
  let failedOpens = 0;

  const open = (again: boolean) => {
    socket = new WebSocket(url, protocols);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      failedOpens = 0;
      retryMs = 250;
      queue.splice(0).forEach((text) => socket.send(text));
      if (again) reconnected.forEach((listener) => listener());
    };
    socket.onmessage = (frame) => {
      const message: unknown = JSON.parse(String(frame.data));
      const response = responseSchema.safeParse(message);
      if (!response.success) return pushed.forEach((listener) => listener(message));
      const waiting = pending.get(response.data.id);
      if (!waiting) return;
      pending.delete(response.data.id);
      if (response.data.ok) waiting.resolve(response.data.result);
      else waiting.reject(new RemoteError(response.data.error));
    };
    socket.onclose = () => {
      pending.forEach(({ reject }) => reject(new Error('the connection to the engine was lost; retrying')));
      pending.clear();
      queue.length = 0; // never sent, and their callers were told: not replayed later
      if (!opened && ++failedOpens >= FAILED_OPENS_BEFORE_GIVING_UP) return onTokenRefused();
      setTimeout(() => open(true), retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };
  open(false);

  return {
    call: (method, ...params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: (result) => resolve(checked(method, result)), reject });
        const text = JSON.stringify({ id, method, params: params[0] ?? {} });
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      }),
    onPush: (listener) => {
      pushed.add(listener);
      return () => pushed.delete(listener);
    },
    onReconnect: (listener) => {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
  };
}
