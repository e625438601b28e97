/**
 * A link opened from the desktop window: the real preload's `openLink` (Electron's ipcRenderer
 * replaced by a double that carries structured clones) to the real main-process channel, with
 * shell.openExternal recorded. Only our renderer's frame, and only http and https URLs, open.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IpcEventLike } from '../../../src-main/electron/ipc-bridge';
import { bridgeOpenLink, OPEN_LINK_CHANNEL } from '../../../src-main/electron/open-link';

const RENDERER = 'file:///app/out/renderer/index.html';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  toMain: (_channel: string, _message: unknown): void => undefined,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { send: (channel: string, message: unknown) => electron.toMain(channel, structuredClone(message)), on: () => undefined },
}));

describe('opening a link from the window', () => {
  it('opens http and https URLs in the system browser; refuses other schemes and other frames', async () => {
    await import('../../../src-main/preload/preload');
    const bridge = electron.exposed.get('provisioning') as { openLink(url: unknown): void };
    const opened: string[] = [];
    const warnings: string[] = [];
    let listener: (event: IpcEventLike, message: unknown) => void = () => undefined;
    bridgeOpenLink(
      { on: (channel, l) => channel === OPEN_LINK_CHANNEL && (listener = l), removeAllListeners: () => undefined },
      (url) => url === RENDERER,
      async (url) => void opened.push(url),
      (text) => warnings.push(text),
    );
    let frame = RENDERER;
    electron.toMain = (channel, message) => {
      if (channel === OPEN_LINK_CHANNEL) listener({ sender: { id: 1, send: () => undefined, once: () => undefined }, senderFrame: { url: frame } }, message);
    };

    bridge.openLink('http://127.0.0.1:8081/');
    bridge.openLink('https://docs.test/a?b=c');
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'http://[::1', { toString: () => 'http://x/' }]) bridge.openLink(url);
    frame = 'https://evil.test/';
    bridge.openLink('http://127.0.0.1:8081/');

    expect(opened).toEqual(['http://127.0.0.1:8081/', 'https://docs.test/a?b=c']);
    expect(warnings.filter((w) => w === 'refused to open a link that is not an http or https URL')).toHaveLength(5);
    expect(warnings.at(-1)).toBe('refused to open a link for an untrusted frame: https://evil.test/');
  });
});
