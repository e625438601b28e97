/**
 * A personal override file in the browser host (Debian's Chromium, real web host and daemon):
 * `services.local.toml` beside the registry changes api's port and disables cache. The card and the
 * node of api carry an "override" badge naming the file and the key, cache is named once as disabled
 * by that file, and a dependency edit asks which file to write — the file whose list is in force
 * preselected, arrows and Enter to choose another, Escape to save nothing — and the undo writes the
 * file the edit wrote.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium, startUi } from '../support/browser';
import { privateHome, type Home } from '../support/cli-process';
import { freePort, nodeService } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
let home: Home;
let ui: Awaited<ReturnType<typeof startUi>>;
let browser: Browser;
let page: Page;
let local: string;
let registryText: string;
const errors: string[] = [];

/** The `[services.api]` table of a file (up to the next table). */
const apiTable = (file: string) => /\[services\.api\]\n[\s\S]*?(?=\n\[|$)/.exec(readFileSync(file, 'utf8'))?.[0] ?? '';
const choice = () => page.locator('dialog[data-testid="file-choice"][open]');
const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

describeWith('chromium')('an override file in the browser host', () => {
  beforeAll(async () => {
    const [port, localPort] = [await freePort(), await freePort()];
    registryText = [
      nodeService('db', sleeper),
      nodeService('worker', sleeper),
      nodeService('api', sleeper, `dependencies = ["db"]\nports = [${port}]`),
      nodeService('cache', sleeper),
    ].join('');
    home = privateHome(registryText);
    local = join(dirname(home.registry), 'services.local.toml');
    writeFileSync(local, `# my machine\n[services.api]\nports = [${localPort}]\n\n[services.cache]\nenabled = false\n`);
    ui = await startUi(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(ui.url.href);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await home?.cleanup();
    expect(errors).toEqual([]);
  }, 60_000);

  it('badges what the override set on the node and the card, and names the service it disabled once', async () => {
    for (const name of ['db', 'worker', 'api']) await page.getByTestId(`node-${name}`).waitFor();
    expect(await page.getByTestId('node-cache').count()).toBe(0);
    const nodeBadge = page.getByTestId('node-api').getByTestId('override-api');
    expect(await nodeBadge.textContent()).toBe('override');
    expect(await nodeBadge.getAttribute('aria-label')).toBe(`api override: ${local}: ports`);
    expect(await page.getByTestId('node-db').getByTestId('override-db').count()).toBe(0);
    expect(await page.getByTestId('override-disabled').textContent()).toBe('Disabled by services.local.toml: cache');

    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    const card = page.getByTestId('card-api');
    await card.getByTestId('override-api').waitFor();
    expect(await card.locator('.override-keys').textContent()).toBe('services.local.toml: ports');
    expect(await page.getByTestId('card-db').getByTestId('override-db').count()).toBe(0);
    expect(await page.getByTestId('card-cache').count()).toBe(0);
    expect(await page.getByTestId('override-disabled').count()).toBe(1);
    await screenshot('override-cards');
  });

  it('asks which file an edit writes, with the file of the list in force preselected, and writes the override chosen by keyboard', async () => {
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByTestId('node-api').click();
    const panel = page.getByRole('region', { name: 'Dependencies of api' });
    await panel.getByLabel('A service for api to depend on').selectOption('worker');
    await panel.getByRole('button', { name: 'Add' }).click();
    await choice().waitFor({ timeout: 10_000 });
    // api's list is the registry's: that file is preselected, and focused.
    const registryRadio = choice().locator(`input[value="${home.registry}"]`);
    expect(await registryRadio.isChecked()).toBe(true);
    expect(await registryRadio.evaluate((input) => input.matches(':focus'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await choice().locator(`input[value="${local}"]`).isChecked()).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot('override-file-choice-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Enter');

    await expect.poll(() => apiTable(local), { timeout: 10_000 }).toContain('dependencies = ["db", "worker"]');
    expect(readFileSync(home.registry, 'utf8')).toBe(registryText);
    await page.getByText(`api now depends on worker (saved to ${local})`).waitFor();
    await page.locator('.react-flow__edge[aria-label="api depends on worker"]').waitFor({ state: 'attached', timeout: 10_000 });
  }, 30_000);

  it('undoes into the file the edit wrote, without asking again', async () => {
    await page.getByRole('button', { name: 'Undo the last dependency edit' }).click();
    await expect.poll(() => apiTable(local), { timeout: 10_000 }).toContain('dependencies = ["db"]');
    expect(await choice().count()).toBe(0);
    expect(readFileSync(home.registry, 'utf8')).toBe(registryText);
    await expect.poll(() => page.locator('.react-flow__edge[aria-label="api depends on worker"]').count(), { timeout: 10_000 }).toBe(0);
  }, 30_000);

  it('preselects the override once its list is in force there, and Escape saves nothing', async () => {
    const before = readFileSync(local, 'utf8');
    await page.locator('.react-flow__edge[aria-label="api depends on db"]').click({ force: true, timeout: 5_000 });
    await page.keyboard.press('Delete');
    await choice().waitFor({ timeout: 10_000 });
    expect(await choice().locator(`input[value="${local}"]`).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await choice().waitFor({ state: 'detached' });
    // Nothing was sent: the edge stays, and the next edit (queued behind the question) is asked again.
    await page.getByRole('button', { name: "Remove api's dependency on db" }).click();
    await choice().waitFor({ timeout: 10_000 });
    await choice().getByRole('button', { name: 'Cancel' }).click();
    expect(readFileSync(local, 'utf8')).toBe(before);
    expect(readFileSync(home.registry, 'utf8')).toBe(registryText);
    expect(await page.locator('.react-flow__edge[aria-label="api depends on db"]').count()).toBe(1);
    await screenshot('override-graph');
  }, 30_000);
});
