/**
 * The desktop window's path to the engine, with Electron's contextBridge and ipcRenderer replaced by
 * a double (Electron cannot be launched here): the real preload pipe, the real IPC bridge and
 * session of the main process, and the shared contract client running on the renderer's side of the
 * pipe, as src-renderer/src/api/contract-client.ts runs it. Messages cross as structured clones.
 */
import { describe, expect, it, vi } from 'vitest';
import { ContractClient } from '@shared/contract/contract-client';
import { pushed } from '@shared/contract/pushed';
import { DependentsRunningError } from '../../../src-main/core/engine-errors';
import type { ContractHandlers, SessionSources } from '../../../src-main/daemon/contract-session';
import { bridgeContract, CHANNELS, type IpcEventLike } from '../../../src-main/electron/ipc-bridge';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  toMain: (_channel: string, _message: unknown): void => undefined,
  fromMain: (_event: unknown, _message: unknown): void => undefined,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    send: (channel: string, message: unknown) => electron.toMain(channel, structuredClone(message)),
    on: (_channel: string, listener: typeof electron.fromMain) => (electron.fromMain = listener),
  },
}));

interface Bridge {
  readonly transport: string;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

describe('the preload bridge', () => {
  it('pipes the contract both ways: answers, refusals with their data and pushed messages reach the client in the window', async () => {
    await import('../../../src-main/preload/preload');
    const bridge = electron.exposed.get('provisioning') as Bridge;
    expect(bridge.transport).toBe('ipc');
    // The main process: the real bridge and session, with handlers standing in for the engine.
    const handlers = {
      hello: async () => ({ pid: 1, home: '/home', registry: '/registry.toml' }),
      stop: async ({ name }: { name: string }) => {
        throw new DependentsRunningError(name, ['web']);
      },
      platformStart: async (_: unknown, session: { push(message: unknown): void }) => {
        session.push(pushed.plan({ operation: 'start', plan: ['api', 'web'] }));
        return { operation: 'start', plan: ['api', 'web'], began: 0, ended: 1, cancelled: false, steps: [], criticalPath: [] };
      },
    } as unknown as ContractHandlers;
    let listener: (event: IpcEventLike, message: unknown) => void = () => undefined;
    const sources = { engine: { subscribe: () => () => undefined }, registry: { watch: () => () => undefined } } as unknown as SessionSources;
    bridgeContract(
      { on: (_channel, l) => (listener = l), removeAllListeners: () => undefined },
      sources,
      handlers,
      () => true,
      () => undefined,
    );
    const sender = {
      id: 1,
      send: (channel: string, message: unknown) => channel === CHANNELS.message && electron.fromMain({}, structuredClone(message)),
      once: () => undefined,
    };
    electron.toMain = (channel, message) => channel === CHANNELS.request && listener({ sender, senderFrame: { url: 'file:///renderer/index.html' } }, message);

    const client = new ContractClient((request) => bridge.send(request));
    bridge.onMessage((message) => client.receive(message));
    const plans: string[] = [];
    client.onPlan(({ plan }) => plans.push(plan.join(' → ')));

    expect(await client.call('hello')).toEqual({ pid: 1, home: '/home', registry: '/registry.toml' });
    await expect(client.call('stop', { name: 'api' })).rejects.toMatchObject({ name: 'DependentsRunningError', data: { service: 'api', dependents: ['web'] } });
    expect((await client.call('platformStart', { names: ['web'] })).plan).toEqual(['api', 'web']);
    expect(plans).toEqual(['api → web']);
  });
});
