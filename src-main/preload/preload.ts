/**
 * The preload bridge: the sandboxed renderer gets `window.provisioning` and nothing else from Node
 * or Electron — a pipe for the contract's messages, each way. The contract client (ids, answers,
 * errors, pushed messages) runs in the renderer (src-renderer/src/api/contract-client.ts): what
 * crosses this bridge is copied as plain data, so an Error rebuilt here would lose its kind and data.
 * The main process checks every message (electron/ipc-bridge.ts, electron/open-link.ts, electron/open-file.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST = 'provisioning:request';
const MESSAGE = 'provisioning:message';
const OPEN_LINK = 'provisioning:open-link';
const OPEN_FILE = 'provisioning:open-file';
const LOGIN_ITEM = 'provisioning:login-item';

const listeners = new Set<(message: unknown) => void>();
ipcRenderer.on(MESSAGE, (_event, message: unknown) => listeners.forEach((listener) => listener(message)));

contextBridge.exposeInMainWorld(
  'provisioning',
  Object.freeze({
    transport: 'ipc',
    send: (message: unknown) => ipcRenderer.send(REQUEST, message),
    onMessage: (listener: (message: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // A service's link, opened in the system browser by the main process (which checks it: open-link.ts).
    openLink: (url: unknown) => ipcRenderer.send(OPEN_LINK, typeof url === 'string' ? url : ''),
    // A registry file, as a located issue names it, opened in the system's default app (the main process checks it is one: open-file.ts).
    openFile: (file: unknown) => ipcRenderer.send(OPEN_FILE, typeof file === 'string' ? file : ''),
    // "Open at login, in the tray": read (no argument) or set (a boolean) by the main process (login-item.ts).
    loginItem: (open?: unknown) => ipcRenderer.invoke(LOGIN_ITEM, typeof open === 'boolean' ? open : undefined) as Promise<boolean>,
  }),
);
