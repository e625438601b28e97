/**
 * The renderer's one way to the engine: the shared contract client (src-shared/contract/
 * contract-client.ts: ids, answers checked, errors rebuilt, pushed messages by kind), carried over
 * Electron IPC when the preload bridge is there, else over the web host's WebSocket (reconnecting,
 * with this tab's token as a subprotocol: src-shared/contract/web-session.ts).
 */
import * as contract from '@shared/contract/contract-client';
import { webSocketProtocols } from '@shared/contract/web-session';

export interface ContractClient extends contract.ContractApi {
  /** Called after the connection came back: subscriptions and follows must be made again. */
  onReconnect(listener: () => void): () => void;
}

/**
 * What the preload exposes as `window.provisioning` in the desktop app: a pipe for the contract's
 * messages, each way (the bridge passes plain data, so the client itself runs here).
 */
interface PreloadBridge {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  /** Opens an http(s) URL in the system browser (the main process checks it). */
  openLink?(url: string): void;
  /** Opens a registry file, as an issue names it, in the system's default application (the main process checks it is one). */
  openFile?(file: string): void;
  /** Open at login, in the tray: read (no argument) or set, answering what the system now says (desktop app only). */
  loginItem?(open?: boolean): Promise<boolean>;
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
  return token === undefined
    ? undefined
    : webSocketClient(new URL('/api', window.location.href.replace(/^http/, 'ws')).href, webSocketProtocols(token), onTokenRefused);
}

/** The window lives as long as its main process: no reconnect. */
function ipcClient(bridge: PreloadBridge): ContractClient {
  const client = new contract.ContractClient((request) => bridge.send(request));
  bridge.onMessage((message) => client.receive(message));
  return Object.assign(client, { onReconnect: () => () => undefined });
}

function webSocketClient(url: string, protocols: string[], onTokenRefused: () => void): ContractClient {
  const reconnected = new Set<() => void>();
  const queue: string[] = [];
  let socket: WebSocket;
  let retryMs = 250;
  let failedOpens = 0;
  const client = new contract.ContractClient((request) => {
    const text = JSON.stringify(request);
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  });

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
      let message: unknown;
      try {
        message = JSON.parse(String(frame.data));
      } catch {
        return;
      }
      client.receive(message);
    };
    socket.onclose = () => {
      client.transportClosed(new Error('the connection to the engine was lost; retrying'));
      queue.length = 0; // never sent, and their callers were told: not replayed later
      if (!opened && ++failedOpens >= FAILED_OPENS_BEFORE_GIVING_UP) return onTokenRefused();
      setTimeout(() => open(true), retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };
  open(false);

  return Object.assign(client, {
    onReconnect: (listener: () => void) => {
      reconnected.add(listener);
      return () => void reconnected.delete(listener);
    },
  });
}
