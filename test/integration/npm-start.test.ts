/**
 * The README's run command, `npm start`, on a machine where the desktop app cannot run (no display,
 * as here): it says why and serves the same control center on loopback, on the embedded demo registry.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwnerClient } from '../../src-main/daemon/owner-client';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

describe('npm start without a display', () => {
  it('says the desktop app cannot run, serves the UI at a printed URL, and stops on Ctrl-C', async () => {
    const home = tempDir('pcc-home-');
    const env: NodeJS.ProcessEnv = { ...process.env, PROVISIONING_HOME: home, NO_COLOR: '1' };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    delete env['PROVISIONING_CONFIG'];
    const child = spawn(process.execPath, [join('scripts', 'start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = new URL(await waitFor(() => /control center: (\S+)/.exec(output)?.[1], 30_000));
      expect(output).toContain('The desktop app cannot run here: there is no display');
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.hash).toMatch(/^#token=[A-Za-z0-9_-]{32}$/);
      const page = await fetch(url);
      expect(await page.text()).toContain('<div id="root">');
      const owner = await OwnerClient.connect(daemonSocketPath(home));
      expect((await owner.call('hello')).registry).toMatch(/config[/\\]demo\.toml$/);
      owner.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const client = await OwnerClient.connect(daemonSocketPath(home)).catch(() => undefined);
    await client?.call('shutdown');
    client?.close();
  }, 60_000);
});
