/**
 * `provisioning ui` opening the browser: the system opener (a fake `xdg-open` first on PATH, which
 * records its argv) gets the path of a 0600 launcher file in the private home, never the token —
 * any local user can read every process's command line in /proc. No process's command line holds
 * the token while the UI runs, and the launcher goes when `ui` exits.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fragmentToken } from '../../src-shared/contract/web-session';
import { tempDir } from '../support/cli-run';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';

let home: Home;
beforeAll(() => {
  home = privateHome(nodeService('web', ['-e', 'setInterval(() => {}, 1000)']));
});
afterAll(() => home.cleanup());

/** Every process's command line now, as text (NULs as spaces); unreadable ones (gone meanwhile) left out. */
function allCommandLines(): string {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .join('\n');
}

it('opens a private launcher file, never the token, and removes it on exit', async () => {
  const bin = tempDir('pcc-fake-opener-');
  const record = join(bin, 'argv');
  // Records its argv and its own /proc cmdline, then stays a while (as a browser would), to be seen in /proc.
  writeFileSync(
    join(bin, 'xdg-open'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.tmp"\ntr '\\0' ' ' < /proc/$$/cmdline >> "${record}.tmp"\necho $$ > "${record}.pid"\nmv "${record}.tmp" "${record}"\ntrap 'kill $!' TERM\nsleep 30 &\nwait\n`,
  );
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, PROVISIONING_HOME: home.home, PROVISIONING_CONFIG: home.registry, NO_COLOR: '1' };
  const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'provisioning.js'), 'ui'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    const url = new URL(await waitFor(() => /control center: (\S+)/.exec(stdout)?.[1], 30_000));
    const token = fragmentToken(url.hash)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const argv = await waitFor(() => (existsSync(record) ? readFileSync(record, 'utf8') : undefined), 20_000);
    const launcher = join(home.home, 'services', `ui-${url.port}.html`);
    expect(argv.split('\n')[0]).toBe(launcher);
    expect(argv).not.toContain(token);
    expect(allCommandLines()).not.toContain(token);
    expect(allCommandLines()).toContain(launcher); // the scan does see the opener still running
    expect(statSync(launcher).mode & 0o777).toBe(0o600);
    const page = readFileSync(launcher, 'utf8');
    expect(page).toContain(`location.replace(${JSON.stringify(url.href)})`);
    expect(page).not.toMatch(/src=|href=|@import|url\(/); // loads nothing: the token goes nowhere else
    child.kill('SIGINT');
    await exited;
    expect(existsSync(launcher)).toBe(false);
  } finally {
    child.kill('SIGKILL');
    if (existsSync(`${record}.pid`)) process.kill(Number(readFileSync(`${record}.pid`, 'utf8')), 'SIGTERM');
  }
}, 60_000);
