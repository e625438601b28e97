/**
 * Preflight's fixes that need a person (issue 20, item 7) in the browser host (Debian's Chromium,
 * real web host and daemon, real processes): a port held by an outside process of our user offers
 * "Stop python3 (pid N) holding port P" behind a confirmation — Cancel leaves it running, confirming
 * ends it; a located problem of the registry opens a viewer of the file at that line, the line
 * marked beside the message (no desktop-only button in the browser).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listensOn } from '../../src-main/core/preflight/port-owners';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { alive, freePort, nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
let center: ControlCenter;
let holder: ChildProcess;
let port: number;

describeWith('chromium')('preflight fixes that ask first', () => {
  beforeAll(async () => {
    port = await freePort();
    holder = spawn('/usr/bin/python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: '/tmp', stdio: 'ignore' });
    await waitFor(() => listensOn(holder.pid!, port));
    center = await openControlCenter(nodeService('web', sleeper, `ports = [${port}]`));
  }, 60_000);
  afterAll(async () => {
    holder?.kill('SIGKILL');
    await center?.close();
  }, 60_000);

  it('stops an outside port holder only once the person confirms', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Preflight' }).click();
    const offer = page.getByTestId('preflight-web').getByRole('button', { name: `Stop python3 (pid ${holder.pid}) holding port ${port}` });
    await offer.click();
    const dialog = page.getByTestId('stop-process-confirmation');
    await dialog.getByRole('heading', { name: `Stop python3 (pid ${holder.pid})?` }).waitFor();
    expect(await dialog.textContent()).toContain(`holds port ${port}/tcp, which web needs`);
    await center.screenshot('preflight-stop-process-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('heading').waitFor({ state: 'detached' });
    expect(alive(holder.pid!)).toBe(true);

    const ended = new Promise<NodeJS.Signals | null>((resolve) => holder.once('exit', (_code, signal) => resolve(signal)));
    await offer.click();
    await dialog.getByRole('button', { name: `Stop pid ${holder.pid}` }).click();
    expect(await ended).toBe('SIGTERM');
    await page.getByText(`stopped python3 (pid ${holder.pid}), which held port ${port}/tcp (needed by web)`).waitFor();
    await offer.waitFor({ state: 'detached', timeout: 20_000 });
  }, 60_000);

  it('opens the registry at a located problem, the line marked beside the message', async () => {
    const { page, home } = center;
    const text = `${readFileSync(home.registry, 'utf8')}\n[services.broken]\ndependencies = 7\n`;
    writeFileSync(home.registry, text);
    const line = text.split('\n').indexOf('dependencies = 7') + 1;
    await page
      .getByTestId('registry-problems')
      .getByRole('button', { name: `Open services.toml at line ${line}` })
      .click();
    const viewer = page.getByTestId('file-viewer');
    await viewer.getByRole('heading', { name: `services.toml, line ${line}` }).waitFor();
    const marked = viewer.locator('li[aria-current="location"]');
    expect(await marked.locator('code').textContent()).toBe('dependencies = 7');
    expect(await marked.getAttribute('value')).toBe(String(line));
    expect(await viewer.getByRole('note').textContent()).toContain('services.broken.dependencies');
    // The desktop app's "Open in the default app" is not offered in the browser.
    expect(await viewer.getByRole('button', { name: 'Open in the default app' }).count()).toBe(0);
    await center.screenshot('preflight-file-viewer');
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'detached' });
  }, 60_000);
});
