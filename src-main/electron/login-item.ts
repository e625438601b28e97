/**
 * "Open at login, in the tray": the app started at login with HIDDEN_ARG, which main.ts honours by
 * keeping the window closed (tray only). macOS and Windows keep login items themselves
 * (app.setLoginItemSettings); Linux desktops start what `$XDG_CONFIG_HOME/autostart/*.desktop`
 * names (the XDG autostart spec), so there the entry is a file this module writes and removes.
 * The truth is the system's (a person may remove the item in their desktop's settings), so it is
 * read from there each time, never kept in the home's settings. Written against the few members of
 * Electron's app it uses, so it is tested without Electron.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/state/atomic-write';

/** The argument a login start carries: the app opens in the tray, without its window. */
export const HIDDEN_ARG = '--hidden';

/** The channel the window asks on (`invoke`): no argument reads it, a boolean sets it. */
export const LOGIN_ITEM_CHANNEL = 'provisioning:login-item';

export interface LoginItemApp {
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface LoginItem {
  enabled(): Promise<boolean>;
  /** Sets it and answers what the system now says. */
  set(open: boolean): Promise<boolean>;
}

export interface LoginItemTarget {
  readonly platform: NodeJS.Platform;
  readonly app: LoginItemApp;
  /** What starts the app: its executable (the AppImage's path when run from one), and in development the app's folder. */
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
}

/** The autostart entry's file name: the app's id, as desktop entries are named. */
const ENTRY_ID = 'dev.provisioning.control-center';

export function loginItem(target: LoginItemTarget): LoginItem {
  if (target.platform !== 'linux') {
    // Windows passes args to the started app; macOS passes none, and main.ts reads wasOpenedAtLogin instead.
    const args = [HIDDEN_ARG];
    return {
      enabled: () => Promise.resolve(target.app.getLoginItemSettings({ args }).openAtLogin),
      set: (openAtLogin) => {
        target.app.setLoginItemSettings({ openAtLogin, args });
        return Promise.resolve(target.app.getLoginItemSettings({ args }).openAtLogin);
      },
    };
  }
  const file = autostartPath(target.env, target.userHome);
  const text = autostartEntry([...target.command, HIDDEN_ARG]);
  const enabled = async () => (await readFile(file, 'utf8').catch(() => undefined)) !== undefined;
  return {
    enabled,
    set: async (open) => {
      if (open) {
        await mkdir(join(file, '..'), { recursive: true });
        await writeFileAtomic(file, text, 0o644);
      } else await rm(file, { force: true });
      return enabled();
    },
  };
}

/** `$XDG_CONFIG_HOME/autostart/<id>.desktop`, ~/.config when it is unset or not absolute (as the spec says). */
export function autostartPath(env: Readonly<Record<string, string | undefined>>, userHome: string): string {
  const config = env['XDG_CONFIG_HOME']?.startsWith('/') ? env['XDG_CONFIG_HOME'] : join(userHome, '.config');
  return join(config, 'autostart', `${ENTRY_ID}.desktop`);
}

/** The desktop entry that starts `command` at login. */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Provisioning Control Center',
    'Comment=Opens in the tray at login (Settings: Open at login, in the tray)',
    `Exec=${command.map(execWord).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One word of an Exec key: quoted when it holds anything but plain path characters, with `"`, `` ` ``,
 * `$` and `\` escaped inside the quotes; then `\` doubled again (the string escape, applied first
 * when read) and `%` doubled (field codes). A control character cannot be carried: refused.
 */
function execWord(word: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(word)) throw new Error(`the app's path holds a control character: it cannot be started at login (${JSON.stringify(word)})`);
  const quoted = /^[\w/.,:@+=-]+$/.test(word) ? word : `"${word.replace(/[\\"`$]/g, '\\$&')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** Serves the window's reads and changes of it; a message from any other frame is refused. */
export function bridgeLoginItem(
  ipc: { handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, open: unknown) => Promise<boolean>): void },
  trusted: (url: string) => boolean,
  item: LoginItem,
): void {
  ipc.handle(LOGIN_ITEM_CHANNEL, async (event, open) => {
    if (!trusted(event.senderFrame?.url ?? '')) throw new Error('refused: not the app’s window');
    return typeof open === 'boolean' ? item.set(open) : item.enabled();
  });
}
