/**
 * The preload bridge: the sandboxed renderer gets `window.provisioning` and nothing else from Node
 * or Electron — a `call` of the contract and a subscription to its messages (answers are matched to
 * calls here; events go to listeners).
 */
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST = 'provisioning:request';
const MESSAGE = 'provisioning:message';

let nextId = 1;
const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
const listeners = new Set<(event: unknown) => void>();

ipcRenderer.on(MESSAGE, (_event, message: { id?: number; ok?: boolean; result?: unknown; error?: { name: string; message: string } }) => {
  // Answers carry the id of their call; everything else (events, log batches, registry changes) is pushed.
  if (message.id === undefined) return listeners.forEach((listener) => listener(message));
  const waiting = pending.get(message.id);
  if (!waiting) return;
  pending.delete(message.id);
  if (message.ok) waiting.resolve(message.result);
  else waiting.reject(Object.assign(new Error(message.error?.message ?? 'failed'), { name: message.error?.name ?? 'Error' }));
});

contextBridge.exposeInMainWorld(
  'provisioning',
  Object.freeze({
    transport: 'ipc',
    call: (method: string, params?: unknown) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        ipcRenderer.send(REQUEST, { id, method, params: params ?? {} });
      }),
    onMessage: (listener: (event: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  }),
);
