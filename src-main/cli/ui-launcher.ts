/**
 * How `provisioning ui` opens the browser without putting its token on a command line (any local
 * user can read every process's /proc/<pid>/cmdline): it writes a small page, 0600 inside the
 * private state dir, that sends the tab on to the URL with the token in its fragment, and opens that
 * file's path instead. The page loads nothing else and is removed when `ui` exits.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateStateRoot } from '../daemon/daemon-paths';

export interface Launcher {
  readonly path: string;
  remove(): void;
}

/** `<home>/services/ui-<port>.html`, replacing one a killed `ui` on the same port left behind. */
export function writeLauncher(home: string, port: number, url: string): Launcher {
  const path = join(privateStateRoot(home), `ui-${port}.html`);
  rmSync(path, { force: true });
  // `replace`: the launcher is not kept in the tab's history. `<` is escaped so the URL cannot end the script.
  const target = JSON.stringify(url).replace(/</g, '\\u003c');
  const page = `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Provisioning control center</title><script>location.replace(${target})</script>\n`;
  writeFileSync(path, page, { mode: 0o600, flag: 'wx' });
  return { path, remove: () => rmSync(path, { force: true }) };
}

/** The system's opener on a file path (no secret in it). */
export function openInBrowser(path: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(command, [path], { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
}
