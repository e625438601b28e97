/**
 * The services table and a service's detail view in the browser host (Debian's Chromium, real web
 * host and daemon): the table is the Services tab's first view, sorts on a header click, selects two
 * rows for one bulk Start that starts exactly them (with nothing else), sends a bulk Stop of a
 * service others need to the stop confirmation, and moves by keyboard; Enter opens the detail view,
 * which shows the service's TOML block as the file has it, its environment by names only (an env
 * reference fed from an env file's secret never shows its value), the health history and its
 * dependencies; Escape closes it and focus returns to the row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { freePort, nodeService } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const SECRET = 'swordfish-7f3a9c2e';
let center: ControlCenter;
let apiBlock: string;
const envFolder = mkdtempSync(join(tmpdir(), 'pcc-envfile-'));

const rowNames = () => center.page.locator('[data-testid^="row-"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')!.slice(4)));
const focusedRow = () => center.page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

describeWith('chromium')('the services table and the detail view', () => {
  beforeAll(async () => {
    const port = await freePort();
    const envFile = join(envFolder, '.env');
    writeFileSync(envFile, `SOME_VAR=${SECRET}\n`);
    const server = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
    apiBlock = [
      '[services.api]',
      'description = "the api"',
      `env_files = [${JSON.stringify(envFile)}]`,
      'dependencies = ["db"]',
      `ports = [${port}]`,
      '[services.api.deployment]',
      'mode = "binary"',
      '# the token comes from the env file',
      `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify(['-e', server])}, env = { TOKEN = { env = "SOME_VAR" }, MODE = "dev" } }`,
      '[services.api.health_check]',
      'type = "http"',
      'interval = "200ms"',
      '[services.api.health_check.http]',
      `url = "http://127.0.0.1:${port}/health"`,
    ].join('\n');
    const registry = [nodeService('db', sleeper), apiBlock, '', '# the front', nodeService('web', sleeper, 'dependencies = ["api"]')].join('\n');
    center = await openControlCenter(registry);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
    rmSync(envFolder, { recursive: true, force: true });
  }, 60_000);

  it('is the first view of the Services tab and sorts by a column', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('table', { name: 'Services' }).waitFor();
    await page.getByTestId('row-web').waitFor();
    expect(await rowNames()).toEqual(['api', 'db', 'web']);
    const name = page.getByRole('columnheader', { name: 'Name' });
    expect(await name.getAttribute('aria-sort')).toBe('ascending');
    await name.getByRole('button').click();
    expect(await name.getAttribute('aria-sort')).toBe('descending');
    expect(await rowNames()).toEqual(['web', 'db', 'api']);
    await center.screenshot('services-table-sorted');
    await name.getByRole('button').click();
    expect(await rowNames()).toEqual(['api', 'db', 'web']);
    // Ports are links to the loopback port.
    expect(await page.getByTestId('row-api').getByRole('link').getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('starts two selected services with one bulk Start, and nothing else', async () => {
    const { page } = center;
    await page.getByRole('checkbox', { name: 'Select api' }).click();
    await page.getByRole('checkbox', { name: 'Select db' }).click();
    expect(await page.getByRole('toolbar', { name: 'Selected services' }).textContent()).toContain('2 selected');
    await page.getByRole('button', { name: 'Start selected', exact: true }).click();
    for (const name of ['api', 'db']) await page.locator(`[data-testid="row-${name}"][data-state="healthy"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('row-web').getAttribute('data-state')).toBe('stopped');
    await expect.poll(() => page.getByTestId('row-api').locator('.pass').count(), { timeout: 10_000 }).toBe(1);
    await center.screenshot('services-table-started');
  }, 60_000);

  it('sends a bulk Stop of a service that a running one needs to the stop confirmation', async () => {
    const { page } = center;
    await page.getByRole('checkbox', { name: 'Select api' }).click();
    await page.getByRole('button', { name: 'Stop selected', exact: true }).click();
    const dialog = page.getByTestId('stop-confirmation');
    await dialog.getByRole('heading', { name: 'Stop db?' }).waitFor();
    expect(await dialog.locator('.blast-radius li').allTextContents()).toEqual(['api']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('row-db').getAttribute('data-state')).toBe('healthy');
    await page.getByRole('checkbox', { name: 'Select db' }).click();
  });

  it('moves by keyboard: arrows between rows, Space selects, Enter opens the detail view', async () => {
    const { page } = center;
    await page.getByTestId('row-api').focus();
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow()).toBe('row-db');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Select db' }).isChecked()).toBe(true);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    expect(await focusedRow()).toBe('row-api');
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog', { name: 'api' });
    await detail.waitFor();
    expect(await page.evaluate<string>('document.activeElement?.id')).toBe('detail-title');
  });

  it('shows the TOML block as in the file, env names without values, the health history and the dependencies', async () => {
    const { page } = center;
    const detail = page.getByRole('dialog', { name: 'api' });
    await expect.poll(() => detail.locator('.toml-block pre').textContent(), { timeout: 10_000 }).toBe(apiBlock);
    expect(await detail.locator('.toml-block figcaption').textContent()).toMatch(/services\.toml, line \d+/);
    expect(await detail.getByTestId('env-names').innerText()).toMatch(/TOKEN from \$SOME_VAR\s+MODE set in the file/);
    expect(await detail.getByTestId('log-file').textContent()).toMatch(/api\.log$/);
    await expect.poll(() => detail.locator('table.history tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await detail.getByRole('button', { name: 'Stop api' }).isEnabled()).toBe(true);
    expect(await detail.getByRole('button', { name: 'Start api', exact: true }).count()).toBe(0);
    await center.screenshot('service-detail');
    await page.evaluate("document.documentElement.dataset.theme = 'dark'");
    await center.screenshot('service-detail-dark');
    expect(await page.content()).not.toContain(SECRET);
    // A dependency opens its own detail.
    await detail.getByRole('button', { name: 'db', exact: true }).click();
    await page.getByRole('dialog', { name: 'db' }).getByRole('button', { name: 'api', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('service-detail').waitFor({ state: 'hidden' });
    expect(await focusedRow()).toBe('row-api');
    expect(await page.content()).not.toContain(SECRET);
  });
});
