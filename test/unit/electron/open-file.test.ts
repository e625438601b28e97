/**
 * A registry file opened from the desktop window in the system's default application: the real
 * preload's `openFile` (Electron's ipcRenderer replaced by a double that carries structured clones)
 * to the real main-process channel, with the real RegistryFile deciding what is one of the
 * registry's files (real files on disk) and shell.openPath recorded. The registry, its override and
 * its env file open; any other path, a non-string and an untrusted frame are refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RegistryFile } from '../../../src-main/core/registry/registry-file';
import type { IpcEventLike } from '../../../src-main/electron/ipc-bridge';
import { bridgeOpenFile, OPEN_FILE_CHANNEL } from '../../../src-main/electron/open-file';

const RENDERER = 'file:///app/out/renderer/index.html';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  toMain: (_channel: string, _message: unknown): void => undefined,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { send: (channel: string, message: unknown) => electron.toMain(channel, structuredClone(message)), on: () => undefined },
}));

describe('opening a registry file from the window', () => {
  it("opens the registry's own files in the default app, and nothing else", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pcc-open-file-'));
    const registry = join(folder, 'services.toml');
    writeFileSync(registry, 'env_files = [".env"]\n[services.api.deployment]\nmode = "binary"\nbinary = { command = "/bin/true" }\n');
    writeFileSync(join(folder, 'services.local.toml'), '[services.api]\ndescription = "mine"\n');
    writeFileSync(join(folder, '.env'), 'TOKEN=x\n');
    writeFileSync(join(folder, 'other.toml'), '');
    const file = new RegistryFile({ path: registry, source: 'env' }, folder);
    await file.graph(); // the first load names its env files, as the owner's has by the time a window asks

    await import('../../../src-main/preload/preload');
    const bridge = electron.exposed.get('provisioning') as { openFile(file: unknown): void };
    const opened: string[] = [];
    const warnings: string[] = [];
    let listener: (event: IpcEventLike, message: unknown) => void = () => undefined;
    bridgeOpenFile(
      { on: (channel, l) => channel === OPEN_FILE_CHANNEL && (listener = l), removeAllListeners: () => undefined },
      (url) => url === RENDERER,
      async (shown) => (await file.fileOf(shown))?.path,
      async (path) => {
        opened.push(path);
        return '';
      },
      (text) => warnings.push(text),
    );
    let frame = RENDERER;
    electron.toMain = (channel, message) => {
      if (channel === OPEN_FILE_CHANNEL) listener({ sender: { id: 1, send: () => undefined, once: () => undefined }, senderFrame: { url: frame } }, message);
    };

    // As issues name them: relative to the owner's working directory (here the folder), or by path.
    for (const shown of ['services.toml', 'services.local.toml', '.env', registry]) bridge.openFile(shown);
    for (const other of ['other.toml', join(folder, 'other.toml'), '/etc/passwd', '../services.toml', { toString: () => 'services.toml' }])
      bridge.openFile(other);
    frame = 'https://evil.test/';
    bridge.openFile('services.toml');
    await vi.waitFor(() => expect(warnings).toHaveLength(6));

    // Each is answered once its check has read the files: in no promised order.
    expect(opened.sort()).toEqual([registry, join(folder, 'services.local.toml'), join(folder, '.env'), registry].sort());
    expect(warnings.sort()).toEqual(
      [
        'refused to open a file: no file named',
        'refused to open a file for an untrusted frame: https://evil.test/',
        'refused to open other.toml: not a file of this registry',
        `refused to open ${join(folder, 'other.toml')}: not a file of this registry`,
        'refused to open /etc/passwd: not a file of this registry',
        'refused to open ../services.toml: not a file of this registry',
      ].sort(),
    );
  });
});
