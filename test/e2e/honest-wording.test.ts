/**
 * Honest wording in the browser host (Debian's Chromium, real web host and daemon): Stop platform is
 * disabled while nothing runs and Start platform once every auto-start service serves, each with
 * its reason as the button's description; Preflight shows a running service as "running" with its
 * live state; Settings says where the registry comes from now and, while PROVISIONING_CONFIG names
 * the file, that a saved path is not in use (never "from the next start"), and offers no desktop-only
 * settings; the page carries the app's icon as its favicon; and the embedded demo registry is
 * announced by a banner.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { tempDir } from '../support/cli-run';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const REGISTRY = [nodeService('db', sleeper, 'auto_start = true'), nodeService('tool', sleeper)].join('\n');

/** A control's accessible description: the text of what aria-describedby names. */
const descriptionOf = (page: Page, name: string) =>
  page.getByRole('button', { name }).evaluate((button) =>
    (button.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );

describeWith('chromium')('honest wording', () => {
  let center: ControlCenter;
  const folder = tempDir('pcc-mine-');
  beforeAll(async () => {
    center = await openControlCenter(REGISTRY);
    await center.page.getByTestId('node-db').waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await center?.close();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('disables Stop platform while nothing runs, and says why', async () => {
    const { page } = center;
    const stop = page.getByRole('button', { name: 'Stop platform' });
    await expect.poll(() => stop.isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await descriptionOf(page, 'Stop platform')).toBe('Nothing is running: there is nothing to stop.');
    expect(await page.getByRole('button', { name: 'Start platform' }).isEnabled()).toBe(true);
  });

  it('disables Start platform once every auto-start service serves, and enables Stop platform', async () => {
    const { page } = center;
    await page.getByRole('button', { name: 'Start platform' }).click();
    await page.locator('[data-testid="node-db"][data-state="healthy"]').waitFor({ timeout: 30_000 });
    const start = page.getByRole('button', { name: 'Start platform' });
    await expect.poll(() => start.isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await descriptionOf(page, 'Start platform')).toBe('Every auto-start service already serves.');
    // tool (not auto-start) stays stopped: the platform start had nothing more to do.
    expect(await page.getByTestId('node-tool').getAttribute('data-state')).toBe('stopped');
    await expect.poll(() => page.getByRole('button', { name: 'Stop platform' }).isEnabled(), { timeout: 10_000 }).toBe(true);
    await center.screenshot('honest-platform-buttons');
  }, 60_000);

  it('shows a running service as running in Preflight, with its live state', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Preflight' }).click();
    const db = page.getByTestId('preflight-db');
    await db.waitFor({ timeout: 15_000 });
    expect(await db.locator('td').nth(0).textContent()).toBe('running');
    expect(await db.locator('td').nth(1).textContent()).toMatch(/^healthy: /);
    expect(await page.getByTestId('preflight-tool').locator('td').nth(0).textContent()).toBe('would start');
    await center.screenshot('honest-preflight');
  }, 30_000);

  it('says where the registry comes from, and that a saved path is not in use while PROVISIONING_CONFIG names one', async () => {
    const { page, home } = center;
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByTestId('registry-now').textContent()).toBe(`Now: ${home.registry}, named by PROVISIONING_CONFIG.`);
    const mine = join(folder, 'services.toml');
    writeFileSync(mine, REGISTRY);
    await page.getByRole('textbox', { name: 'Registry file path' }).fill(mine);
    await page.getByRole('button', { name: 'Use this registry' }).click();
    const dialog = page.getByTestId('registry-confirmation');
    await dialog.getByText(/^Saved, it is not run while PROVISIONING_CONFIG names the registry/).waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Run this registry' }).click();
    const notice = page.getByTestId('notices').getByText(/^registry set to /);
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain(`The saved path ${mine} is not in use: PROVISIONING_CONFIG overrides it for this engine.`);
    expect(await notice.textContent()).not.toContain('next start');
    expect(await page.getByRole('note', { name: 'Saved registry path' }).textContent()).toContain(`The saved path ${mine} is not in use`);
    // The browser host has no window to close to a tray nor an app to quit: the desktop app's settings are not offered.
    expect(await page.getByRole('group', { name: 'Desktop app' }).count()).toBe(0);
    await center.screenshot('honest-settings-override');
  }, 30_000);

  it('carries the app’s icon as its favicon, and no demo banner on a registry of one’s own', async () => {
    const { page } = center;
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toMatch(/^data:image\/svg\+xml,/);
    const normalized = (svg: string) => svg.replace(/\s*\n\s*/g, '').replaceAll('"', "'");
    expect(decodeURIComponent(href!.slice('data:image/svg+xml,'.length))).toBe(normalized(readFileSync('resources/icon.svg', 'utf8').trim()));
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
  });
});

describeWith('chromium')('on the embedded demo registry', () => {
  let browser: Browser | undefined;
  let stopUi: (() => Promise<void>) | undefined;
  let page: Page;
  const home = tempDir('pcc-home-');
  // No PROVISIONING_CONFIG and no registry of the user's in this home: discovery ends at the embedded demo.
  const env: NodeJS.ProcessEnv = { ...process.env, PROVISIONING_HOME: home, PROVISIONING_OWNERS_DIR: join(home, 'owners-index'), NO_COLOR: '1' };
  delete env['PROVISIONING_CONFIG'];
  const cli = join(process.cwd(), 'bin', 'provisioning.js');

  beforeAll(async () => {
    const ui = spawn(process.execPath, [cli, 'ui', '--no-open'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => ui.on('close', resolve));
    stopUi = async () => {
      ui.kill('SIGINT');
      await exited;
    };
    let out = '';
    ui.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await waitFor(() => /control center: (\S+)/.exec(out)?.[1], 30_000);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(url);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stopUi?.();
    await new Promise((resolve) => spawn(process.execPath, [cli, 'daemon', 'stop'], { env, stdio: 'ignore' }).on('close', resolve));
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('says the demo registry is in use, and how to write one’s own', async () => {
    const banner = page.getByTestId('demo-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toBe('You are running the demo registry — provisioning init writes your own.');
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByTestId('registry-now').textContent()).toMatch(/, the embedded demo registry\.$/);
  }, 30_000);
});
