/**
 * One contract suite, run on each transport a face uses: the local socket (CLI clients), the
 * WebSocket of the web host (the browser UI) and Electron IPC (the desktop window, with ipcMain and
 * the window replaced by a double). The owner is composed as the desktop app's main process does it.
 * Each is spoken by the one contract client every face uses (src-shared/contract/contract-client.ts)
 * over that transport. Same requests, same answers, same errors as data, same events.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readLines } from '../../src-main/core/read-lines';
import { RegistryFile } from '../../src-main/core/registry/registry-file';
import { contractHandlers } from '../../src-main/daemon/contract-session';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { openOwnerSocket } from '../../src-main/daemon/owner-client';
import { startOwner, type Owner } from '../../src-main/daemon/owner';
import { bridgeContract, CHANNELS, type IpcEventLike } from '../../src-main/electron/ipc-bridge';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';
import { ContractClient } from '../../src-shared/contract/contract-client';
import type { MethodName } from '../../src-shared/contract/methods';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

interface Transport {
  call(method: string, params?: unknown): Promise<Reply>;
  readonly events: { seq: number; name: string; state: string }[];
  /** The plans pushed to this connection, as `operation: a → b`. */
  readonly plans: string[];
  close(): void;
}

const home = tempDir('pcc-home-');
const registryPath = join(home, 'services.toml');
let owner: Owner;
let host: WebHost;
let url: URL;
let ipcRequest: (event: IpcEventLike, message: unknown) => void;
let windows = 0;

beforeAll(async () => {
  writeFileSync(
    registryPath,
    `${nodeService('api', ['-e', 'setInterval(() => {}, 1000)'])}${nodeService('web', ['-e', 'setInterval(() => {}, 1000)'], 'dependencies = ["api"]')}`,
  );
  const registryFile = new RegistryFile({ path: registryPath, source: 'flag' }, home);
  const registry = await registryFile.readValid();
  owner = (await startOwner({ home, registry, registryFile, env: process.env, log: () => undefined }))!;
  host = await startWebHost({ root: join(process.cwd(), 'out', 'renderer'), openOwner: () => openOwnerSocket(daemonSocketPath(home)), port: 0 });
  url = new URL(host.url);
  const ipcMain = { on: (_channel: string, listener: typeof ipcRequest) => (ipcRequest = listener), removeAllListeners: () => undefined };
  bridgeContract(
    ipcMain,
    { engine: owner.engine, registry: registryFile },
    contractHandlers(owner.engine, owner.facts),
    (frame) => frame === 'file:///renderer/index.html',
    () => undefined,
  );
}, 30_000);
afterAll(async () => {
  await host.close();
  await owner.engine.platformStop([]);
  owner.stop();
  await owner.stopped;
});

type Reply = { ok: boolean; result?: unknown; error?: { name: string; message: string; data?: unknown } };

/** The contract client over a transport carrying one JSON text each way; a call's outcome as a reply, to compare across transports. */
function wire(send: (text: string) => void): { transport: Omit<Transport, 'close'>; receive: (text: string) => void } {
  const events: Transport['events'] = [];
  const plans: string[] = [];
  const client = new ContractClient((request) => send(JSON.stringify(request)));
  client.onEvent(({ status }, seq) => events.push({ seq, name: status.name, state: status.state }));
  client.onPlan(({ operation, plan }) => plans.push(`${operation}: ${plan.join(' → ')}`));
  // Any method name and params, unchecked here: the owner's refusals of bad ones are part of the suite.
  const call = client.call.bind(client) as (method: string, params?: unknown) => Promise<unknown>;
  return {
    transport: {
      events,
      plans,
      call: (method, params) =>
        call(method as MethodName, params).then(
          (result) => ({ ok: true, result }),
          (error: Error & { data?: unknown }) => ({
            ok: false,
            error: { name: error.name, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) },
          }),
        ),
    },
    receive: (text) => client.receive(JSON.parse(text)),
  };
}

async function localSocket(): Promise<Transport> {
  const socket = connect(daemonSocketPath(home));
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const { transport, receive } = wire((text) => socket.write(`${text}\n`));
  readLines(socket, receive);
  return { ...transport, close: () => socket.end() };
}

async function webSocket(): Promise<Transport> {
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { origin: url.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const { transport, receive } = wire((text) => ws.send(text));
  ws.on('message', (data) => receive(data.toString()));
  return { ...transport, close: () => ws.close() };
}

async function electronIpc(): Promise<Transport> {
  const id = ++windows;
  let receive: (text: string) => void = () => undefined;
  let destroyed = () => {};
  const sender = {
    id,
    send: (channel: string, message: unknown) => channel === CHANNELS.message && receive(JSON.stringify(message)),
    once: (_: 'destroyed', listener: () => void) => (destroyed = listener),
  };
  const event: IpcEventLike = { sender, senderFrame: { url: 'file:///renderer/index.html' } };
  const wired = wire((text) => ipcRequest(event, JSON.parse(text)));
  receive = wired.receive;
  return { ...wired.transport, close: () => destroyed() };
}

describe.each([
  ['local socket', localSocket],
  ['WebSocket (web host)', webSocket],
  ['Electron IPC', electronIpc],
])('the contract over the %s', (_name, open) => {
  it('says who owns the engine, and lists the services', async () => {
    const t = await open();
    expect(await t.call('hello')).toMatchObject({ ok: true, result: { home, registry: registryPath } });
    const status = await t.call('status');
    expect((status.result as { name: string }[]).map((s) => s.name)).toEqual(['api', 'web']);
    t.close();
  });

  it('starts along the graph and streams every transition as a numbered event after a snapshot', async () => {
    const t = await open();
    const snapshot = await t.call('subscribe');
    expect(snapshot).toMatchObject({
      ok: true,
      result: {
        seq: 0,
        services: [
          { name: 'api', state: 'stopped' },
          { name: 'web', state: 'stopped' },
        ],
      },
    });
    const report = await t.call('platformStart', { names: ['web'] });
    expect((report.result as { steps: { name: string; outcome: string }[] }).steps.map((s) => [s.name, s.outcome])).toEqual([
      ['api', 'done'],
      ['web', 'done'],
    ]);
    await waitFor(() => t.events.some((e) => e.name === 'web' && e.state === 'healthy'));
    expect(t.events.filter((e) => e.name === 'api').map((e) => e.state)).toEqual(['starting', 'healthy']);
    expect(t.events.map((e) => e.seq)).toEqual(t.events.map((_, i) => i + 1));
    await t.call('platformStop', { names: [] });
    t.close();
  });

  it('carries refusals as data, with their kind', async () => {
    const t = await open();
    expect(await t.call('start', { name: 'nope' })).toEqual({ ok: false, error: { name: 'EngineError', message: "unknown service 'nope'" } });
    expect(await t.call('stop', {})).toEqual({ ok: false, error: { name: 'ProtocolError', message: 'bad params for stop' } });
    expect(await t.call('no-such-method')).toEqual({ ok: false, error: { name: 'ProtocolError', message: "unknown method 'no-such-method'" } });
    t.close();
  });

  it('pushes the plan of each operation to the connection that asked, before its answer', async () => {
    const t = await open();
    const other = await open();
    await t.call('platformStart', { names: ['web'] });
    expect(t.plans).toEqual(['start: api → web']);
    await t.call('platformStop', { names: [] });
    expect(t.plans).toEqual(['start: api → web', 'stop: web → api']);
    expect(other.plans).toEqual([]);
    other.close();
    t.close();
  });

  it("carries a refused stop's dependents as the error's data, and the engine's words without a CLI remedy", async () => {
    const t = await open();
    await t.call('platformStart', { names: ['web'] });
    expect(await t.call('stop', { name: 'api' })).toEqual({
      ok: false,
      error: { name: 'DependentsRunningError', message: 'cannot stop api: web needs it and is running', data: { service: 'api', dependents: ['web'] } },
    });
    await t.call('platformStop', { names: [] });
    t.close();
  });
});
