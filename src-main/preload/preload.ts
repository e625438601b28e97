/**
 * The preload bridge: the sandboxed renderer gets `window.provisioning` and nothing else from Node
 * or Electron — a pipe for the contract's messages, each way. The contract client (ids, answers,
 * errors, pushed messages) runs in the renderer (src-renderer/src/api/contract-client.ts): what
 * crosses this bridge is copied as plain data, so an Error rebuilt here would lose its kind and data.
 * The main process checks every message (electron/ipc-bridge.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST = 'provisioning:request';
const MESSAGE = 'provisioning:message';

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
  }),
);
