/**
 * The preload bridge. The renderer gets nothing from Node or Electron but what is exposed here;
 * the contract's channels are added when the contract exists.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('provisioning', Object.freeze({ transport: 'ipc' }));
