/**
 * "Open at login, in the tray". Linux: the XDG autostart entry is a real file in a temp
 * XDG_CONFIG_HOME, written with the app's command and the hidden-start argument, read back, and
 * removed. macOS and Windows: Electron's login-item calls, with app replaced by a double that keeps
 * what it is given (Electron cannot be launched here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  autostartEntry,
  autostartPath,
  bridgeLoginItem,
  HIDDEN_ARG,
  loginItem,
  LOGIN_ITEM_CHANNEL,
  type LoginItemApp,
} from '../../../src-main/electron/login-item';
import { tempDir } from '../../support/cli-run';

/** Electron's app as far as login items go: it keeps what it is set to. */
function appDouble(): LoginItemApp & { calls: unknown[] } {
  let openAtLogin = false;
  const calls: unknown[] = [];
  return {
    calls,
    getLoginItemSettings: () => ({ openAtLogin }),
    setLoginItemSettings: (settings) => {
      calls.push(settings);
      openAtLogin = settings.openAtLogin;
    },
  };
}

describe('on Linux: the XDG autostart entry', () => {
  it('is written with the executable and the hidden-start argument, read back as enabled, and removed', async () => {
    const config = tempDir('pcc-xdg-');
    const env = { XDG_CONFIG_HOME: config };
    const executable = '/opt/Provisioning Control Center/provisioning-control-center';
    const item = loginItem({ platform: 'linux', app: appDouble(), command: [executable], env, userHome: '/nonexistent' });
    const file = join(config, 'autostart', 'dev.provisioning.control-center.desktop');
    expect(await item.enabled()).toBe(false);

    expect(await item.set(true)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Provisioning Control Center',
        'Comment=Opens in the tray at login (Settings: Open at login, in the tray)',
        `Exec="${executable}" ${HIDDEN_ARG}`,
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(await item.enabled()).toBe(true);
    // Setting it again is no change.
    expect(await item.set(true)).toBe(true);

    expect(await item.set(false)).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(await item.set(false)).toBe(false);
  });

  it('goes to ~/.config/autostart when XDG_CONFIG_HOME is unset or relative', () => {
    expect(autostartPath({}, '/home/ada')).toBe('/home/ada/.config/autostart/dev.provisioning.control-center.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: 'rel' }, '/home/ada')).toBe('/home/ada/.config/autostart/dev.provisioning.control-center.desktop');
  });

  it('escapes what the Exec key reads specially: quotes, $, backslash, %; refuses a line break', () => {
    // In the file: \\ for one backslash before the quoting rule, so an escaped quote is \\" and a backslash \\\\.
    expect(autostartEntry(['/a "b"/$x\\y 100%', '--dev-app', '/plain/path']).split('\n')[4]).toBe(
      'Exec="/a \\\\"b\\\\"/\\\\$x\\\\\\\\y 100%%" --dev-app /plain/path',
    );
    expect(() => autostartEntry(['/a\nb'])).toThrow(/control character/);
  });
});

describe('on macOS and Windows: Electron login items', () => {
  it('sets openAtLogin with the hidden-start argument (Windows passes it; macOS says wasOpenedAtLogin) and reads the system back', async () => {
    const app = appDouble();
    const item = loginItem({ platform: 'darwin', app, command: ['/Applications/P.app/Contents/MacOS/P'], env: {}, userHome: '/Users/ada' });
    expect(await item.enabled()).toBe(false);
    expect(await item.set(true)).toBe(true);
    expect(app.calls).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG] }]);
    expect(await item.set(false)).toBe(false);
  });
});

describe('the window channel', () => {
  it("answers our window's reads and changes, and refuses any other frame", async () => {
    const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, open: unknown) => Promise<boolean>>();
    const app = appDouble();
    bridgeLoginItem(
      { handle: (channel, listener) => handlers.set(channel, listener) },
      (url) => url === 'file:///app/index.html',
      loginItem({ platform: 'win32', app, command: [], env: {}, userHome: 'C:\\' }),
    );
    const ask = handlers.get(LOGIN_ITEM_CHANNEL)!;
    const ours = { senderFrame: { url: 'file:///app/index.html' } };
    expect(await ask(ours, undefined)).toBe(false);
    expect(await ask(ours, true)).toBe(true);
    // Anything but a boolean only reads.
    expect(await ask(ours, 'false')).toBe(true);
    await expect(ask({ senderFrame: { url: 'https://evil.example/' } }, false)).rejects.toThrow(/refused/);
    expect(app.calls).toHaveLength(1);
  });
});
