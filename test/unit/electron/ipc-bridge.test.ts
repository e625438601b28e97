/**
 * The contract over IPC, with `ipcMain` and the window's WebContents replaced by a double and a real
 * engine behind: answers and numbered events reach the window; an untrusted frame gets nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryFile } from '../../../src-main/core/registry/registry-file';
import { createEngine, type Engine } from '../../../src-main/core/engine';
import { SettingsStore } from '../../../src-main/core/settings-store';
import { contractHandlers } from '../../../src-main/daemon/contract-session';
import { RunHolds } from '../../../src-main/daemon/run-holds';
import { bridgeContract, CHANNELS, type IpcEventLike, type IpcMainLike } from '../../../src-main/electron/ipc-bridge';
import { tempDir } from '../../support/cli-run';
import { alive, nodeService, waitFor } from '../../support/engine-harness';

const RENDERER = 'file:///app/out/renderer/index.html';

/** ipcMain as the bridge uses it, and windows that record what is sent to them. */
function electronDouble() {
  const listeners = new Map<string, (event: IpcEventLike, message: unknown) => void>();
  const ipc: IpcMainLike = {
    on: (channel, listener) => listeners.set(channel, listener),
    removeAllListeners: (channel) => listeners.delete(channel),
  };
  const window = (id: number, url: string) => {
    const received: { id?: number; ok?: boolean; result?: unknown; error?: unknown; seq?: number; event?: { status: { name: string; state: string } } }[] = [];
    let destroyed = () => {};
    const navigations: ((details: { isMainFrame: boolean; isSameDocument: boolean }) => void)[] = [];
    const event: IpcEventLike = {
      sender: {
        id,
        send: (channel, message) => channel === CHANNELS.message && received.push(message as never),
        once: (_, listener) => (destroyed = listener),
        on: (name: string, listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void) =>
          name === 'did-start-navigation' && navigations.push(listener),
      },
      senderFrame: { url },
    };
    return {
      received,
      send: (message: unknown) => listeners.get(CHANNELS.request)!(event, message),
      destroy: () => destroyed(),
      /** What WebContents emits when its page (or a frame of it) navigates; a reload is a main-frame one. */
      navigate: (details: { isMainFrame: boolean; isSameDocument: boolean }) => navigations.forEach((listener) => listener(details)),
    };
  };
  return { ipc, window };
}

let engine: Engine | undefined;
afterEach(async () => {
  if (!engine) return;
  await engine.platformStop([]);
  await engine.close();
});

describe('the contract over IPC', () => {
  it('answers a trusted window and streams numbered events to it; an untrusted frame gets nothing', async () => {
    const home = tempDir();
    const text = nodeService('api', ['-e', 'setInterval(() => {}, 1000)']);
    writeFileSync(join(home, 'r.toml'), text);
    const { registry } = parseRegistry(text, 'r.toml');
    engine = await createEngine({ home, registry: registry!, registryDir: home, env: process.env });
    const registryFile = new RegistryFile({ path: join(home, 'r.toml'), source: 'flag' }, home);
    const handlers = contractHandlers(engine, {
      hello: { pid: process.pid, home, registry: 'r.toml' },
      shutdown: () => undefined,
      registry: registryFile,
      settings: new SettingsStore(home),
      runs: new RunHolds(),
    });
    const { ipc, window } = electronDouble();
    const warnings: string[] = [];
    bridgeContract(
      ipc,
      { engine, registry: registryFile },
      handlers,
      (url) => url === RENDERER,
      (text) => warnings.push(text),
    );

    const ours = window(1, RENDERER);
    ours.send({ id: 1, method: 'subscribe', params: {} });
    ours.send({ id: 2, method: 'start', params: { name: 'api' } });
    await waitFor(() => ours.received.some((m) => m.id === 2));
    expect(ours.received.find((m) => m.id === 1)).toMatchObject({ ok: true, result: { seq: 0, services: [{ name: 'api', state: 'stopped' }] } });
    expect(ours.received.find((m) => m.id === 2)).toMatchObject({ ok: true, result: { name: 'api', state: 'healthy' } });
    const events = ours.received.filter((m) => m.event);
    expect(events.map((m) => [m.seq, m.event!.status.state])).toEqual([
      [1, 'starting'],
      [2, 'healthy'],
    ]);

    const injected = window(2, 'https://evil.example/');
    injected.send({ id: 1, method: 'stop', params: { name: 'api', force: true } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(injected.received).toEqual([]);
    expect(warnings).toEqual(['refused a contract message from an untrusted frame: https://evil.example/']);
    expect(engine.status()[0]!.state).toBe('healthy');

    ours.send({ id: 3, method: 'stop', params: {} });
    await waitFor(() => ours.received.some((m) => m.id === 3));
    expect(ours.received.find((m) => m.id === 3)).toEqual({ id: 3, ok: false, error: { name: 'ProtocolError', message: 'bad params for stop' } });
    ours.destroy();
  });

  it("drops env values the renderer puts in a start: the app's own environment is read", async () => {
    const home = tempDir();
    const out = join(home, 'env.json');
    const writer =
      "const fs = require('fs'); fs.writeFileSync(process.argv[1] + '.tmp', JSON.stringify(process.env)); fs.renameSync(process.argv[1] + '.tmp', process.argv[1]); setInterval(() => {}, 1000)";
    const text = `${nodeService('api', ['-e', writer, out])}`.replace('args =', 'env = { TOKEN = { env = "PCC_IPC_TOKEN" } }, args =');
    writeFileSync(join(home, 'r.toml'), text);
    const { registry } = parseRegistry(text, 'r.toml');
    engine = await createEngine({ home, registry: registry!, registryDir: home, env: process.env, clientEnv: { PCC_IPC_TOKEN: 'the-app-value' } });
    const registryFile = new RegistryFile({ path: join(home, 'r.toml'), source: 'flag' }, home);
    const handlers = contractHandlers(engine, {
      hello: { pid: process.pid, home, registry: 'r.toml' },
      shutdown: () => undefined,
      registry: registryFile,
      settings: new SettingsStore(home),
      runs: new RunHolds(),
    });
    const { ipc, window } = electronDouble();
    bridgeContract(
      ipc,
      { engine, registry: registryFile },
      handlers,
      (url) => url === RENDERER,
      () => undefined,
    );
    const ours = window(1, RENDERER);
    ours.send({ id: 1, method: 'start', params: { name: 'api', env: { PCC_IPC_TOKEN: 'chosen-by-the-renderer' } } });
    await waitFor(() => ours.received.some((m) => m.id === 1));
    expect(ours.received.find((m) => m.id === 1)).toMatchObject({ ok: true, result: { state: 'healthy' } });
    // Before: the renderer's value was passed through and the service got it.
    const env = await waitFor(() => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>));
    expect(env['TOKEN']).toBe('the-app-value');
    ours.destroy();
  });

  it("ends the page's terminals when it reloads (the sender stays), not on a frame's or an in-page navigation", async () => {
    const home = tempDir();
    const text = nodeService('api', ['-e', 'setInterval(() => {}, 1000)']);
    writeFileSync(join(home, 'r.toml'), text);
    const { registry } = parseRegistry(text, 'r.toml');
    engine = await createEngine({ home, registry: registry!, registryDir: home, env: process.env });
    const registryFile = new RegistryFile({ path: join(home, 'r.toml'), source: 'flag' }, home);
    const handlers = contractHandlers(engine, {
      hello: { pid: process.pid, home, registry: 'r.toml' },
      shutdown: () => undefined,
      registry: registryFile,
      settings: new SettingsStore(home),
      runs: new RunHolds(),
    });
    const { ipc, window } = electronDouble();
    bridgeContract(
      ipc,
      { engine, registry: registryFile },
      handlers,
      (url) => url === RENDERER,
      () => undefined,
    );
    const ours = window(1, RENDERER);
    ours.send({ id: 1, method: 'start', params: { name: 'api' } });
    await waitFor(() => ours.received.some((m) => m.id === 1));
    const cmd = ['sh', '-c', 'echo "PID=$$"; exec sleep 300'];
    ours.send({ id: 2, method: 'terminalOpen', params: { service: 'api', tty: false, cols: 80, rows: 24, cmd } });
    await waitFor(() => ours.received.some((m) => m.id === 2));
    expect(ours.received.find((m) => m.id === 2)).toMatchObject({ ok: true });
    const printed = () =>
      (ours.received as { terminal?: { data: string } }[]).flatMap((m) => (m.terminal ? [Buffer.from(m.terminal.data, 'base64').toString()] : [])).join('');
    const pid = Number((await waitFor(() => /PID=(\d+)/.exec(printed()) ?? undefined))[1]);

    ours.navigate({ isMainFrame: false, isSameDocument: false });
    ours.navigate({ isMainFrame: true, isSameDocument: true });
    // Still open: its input reaches it (an answer to a later request comes after the navigations).
    ours.send({ id: 3, method: 'terminalInput', params: { id: 1, data: '' } });
    await waitFor(() => ours.received.some((m) => m.id === 3));
    expect(ours.received.find((m) => m.id === 3)).toMatchObject({ ok: true });
    expect(alive(pid)).toBe(true);

    ours.navigate({ isMainFrame: true, isSameDocument: false });
    await waitFor(() => !alive(pid));
    // The reloaded page starts a session of its own.
    ours.send({ id: 1, method: 'terminalInput', params: { id: 1, data: '' } });
    await waitFor(() => ours.received.filter((m) => m.id === 1).length === 2);
    expect(ours.received.filter((m) => m.id === 1).at(-1)).toMatchObject({ ok: false });
    ours.destroy();
  });
});
