/**
 * `provisioning run`'s holds, as the desktop app composes its owner (the local socket's handler set
 * and the window's, from one owner's facts): a browser behind the real web host and the window over
 * IPC (ipcMain and the window replaced by a double) are refused `runStart`/`runStop` at their relay,
 * and hold nothing; the CLI's run and a session of the window's handler set share one table of holds.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readLines } from '../../src-main/core/read-lines';
import { RegistryFile } from '../../src-main/core/registry/registry-file';
import { contractHandlers, ContractSession, type ContractHandlers } from '../../src-main/daemon/contract-session';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { openOwnerSocket } from '../../src-main/daemon/owner-client';
import { startOwner, type Owner } from '../../src-main/daemon/owner';
import { bridgeContract, CHANNELS, type IpcEventLike } from '../../src-main/electron/ipc-bridge';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

type Reply = { id: number; ok: boolean; result?: Record<string, unknown>; error?: { name: string; message: string } };

/** Calls over a connection carrying one JSON message each way; pushed messages (no id) are skipped. */
function caller(send: (message: unknown) => void) {
  const answers = new Map<number, Reply>();
  let next = 0;
  return {
    receive: (message: unknown) => {
      const reply = message as Partial<Reply>;
      if (typeof reply.id === 'number') answers.set(reply.id, reply as Reply);
    },
    call: (method: string, params: unknown = {}) => {
      const id = ++next;
      send({ id, method, params });
      return waitFor(() => answers.get(id));
    },
  };
}

const home = tempDir('pcc-home-');
const registryPath = join(home, 'services.toml');
let owner: Owner;
let host: WebHost;
let windowHandlers: ContractHandlers;
let ipcRequest: (event: IpcEventLike, message: unknown) => void;

beforeAll(async () => {
  writeFileSync(registryPath, nodeService('api', ['-e', 'setInterval(() => {}, 1000)']));
  const registryFile = new RegistryFile({ path: registryPath, source: 'flag' }, home);
  owner = (await startOwner({ home, registry: await registryFile.readValid(), registryFile, env: process.env, log: () => undefined }))!;
  host = await startWebHost({ root: join(process.cwd(), 'out', 'renderer'), openOwner: () => openOwnerSocket(daemonSocketPath(home)), port: 0 });
  // As src-main/electron/main.ts builds the window's handler set beside the socket server's.
  windowHandlers = contractHandlers(owner.engine, { ...owner.facts, shutdown: () => undefined });
  const ipcMain = { on: (_channel: string, listener: typeof ipcRequest) => (ipcRequest = listener), removeAllListeners: () => undefined };
  bridgeContract(
    ipcMain,
    { engine: owner.engine, registry: registryFile },
    windowHandlers,
    (frame) => frame === 'file:///renderer/index.html',
    () => undefined,
  );
}, 30_000);
afterAll(async () => {
  await host?.close();
  await owner?.engine.platformStop([]);
  owner?.stop();
  await owner?.stopped;
});

/** The CLI's kind of connection: the owner's local socket, one JSON message per line. */
async function localSocket() {
  const socket = connect(daemonSocketPath(home));
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const { receive, call } = caller((message) => socket.write(`${JSON.stringify(message)}\n`));
  readLines(socket, (line) => receive(JSON.parse(line)));
  return { call, close: () => socket.end() };
}

async function browser() {
  const url = new URL(host.url);
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { origin: url.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const { receive, call } = caller((message) => ws.send(JSON.stringify(message)));
  ws.on('message', (data) => receive(JSON.parse(data.toString())));
  return { call, close: () => ws.close() };
}

function desktopWindow() {
  let destroyed = () => {};
  const { receive, call } = caller((message) =>
    ipcRequest(
      {
        sender: { id: 1, send: (channel, sent) => channel === CHANNELS.message && receive(sent), once: (_, listener) => (destroyed = listener) },
        senderFrame: { url: 'file:///renderer/index.html' },
      },
      message,
    ),
  );
  return { call, close: () => destroyed() };
}

const apiState = () => owner.engine.status().find((s) => s.name === 'api')!.state;

describe.each([
  ['a browser, through the web host', browser],
  ['the desktop window, over IPC', desktopWindow],
])('run from %s', (_name, open) => {
  it('is refused, saying run is for the CLI, and holds nothing', async () => {
    const face = await open();
    for (const method of ['runStart', 'runStop']) {
      const reply = await face.call(method, method === 'runStart' ? { names: ['api'] } : {});
      expect(reply.ok).toBe(false);
      expect(reply.error).toMatchObject({ name: 'ProtocolError', message: expect.stringMatching(new RegExp(`^run is for the CLI: ${method} `)) as string });
    }
    // The face's later request is answered after the refused one would have been carried: nothing started.
    expect((await face.call('status')).ok).toBe(true);
    expect(apiState()).toBe('stopped');
    // And the owner holds nothing for it: the CLI's run starts api, and its end stops it.
    const cli = await localSocket();
    expect((await cli.call('runStart', { names: ['api'] })).result).toMatchObject({ started: ['api'] });
    expect((await cli.call('runStop')).result).toMatchObject({ kept: [], stop: { steps: [{ name: 'api', outcome: 'done' }] } });
    expect(apiState()).toBe('stopped');
    cli.close();
    face.close();
  });
});

describe('the holds of runs', () => {
  it("are one table for every handler set of the owner: the CLI's run's end keeps what the window's session still holds", async () => {
    const cli = await localSocket();
    // A session of the window's handler set, reached directly (its relay refuses run, above).
    const { receive, call } = caller((message) => void session.receive(message));
    const session = new ContractSession({ engine: owner.engine, registry: owner.facts.registry }, windowHandlers, receive);
    expect((await cli.call('runStart', { names: ['api'] })).result).toMatchObject({ started: ['api'] });
    expect((await call('runStart', { names: ['api'] })).result).toMatchObject({ started: [] });
    // Before: the socket's handler set had its own table, saw no other hold, and stopped api.
    expect((await cli.call('runStop')).result).toEqual({ kept: [{ name: 'api', reason: 'another run needs it' }] });
    expect(apiState()).toBe('healthy');
    expect((await call('runStop')).result).toMatchObject({ kept: [], stop: { steps: [{ name: 'api', outcome: 'done' }] } });
    expect(apiState()).toBe('stopped');
    session.close();
    cli.close();
  });
});
