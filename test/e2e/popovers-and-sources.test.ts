/**
 * Explanations, definitions and health as they change, end to end in Debian's Chromium through
 * `provisioning ui`, on a registry whose `api` is split over the file (its table first, its health
 * check after another service):
 * - no native `title` tooltip is left in any view: explanations are popovers, shown on hover and on
 *   keyboard focus, the control's description, hidden by Escape; a graph node's is on top of every
 *   node (not covered by React Flow's stacking) and inside the window;
 * - the detail view shows every block of the service's definition, each with its file and line;
 * - the latency on the graph node and in the services table follows every check, not only changes
 *   of state: the api answers slower when told, and each new latency reaches the node while the
 *   api stays healthy.
 * Screenshots land in test-artifacts/e2e/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { freePort, nodeService } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const folder = mkdtempSync(join(tmpdir(), 'pcc-popovers-'));
const delayFile = join(folder, 'delay-ms');
const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
let center: ControlCenter;
let tableBlock: string;
let checkBlock: string;
let registry: string;

/** Page-side: the elements that still carry a native tooltip. */
const TITLED = `[...document.querySelectorAll('[title]')].map((e) => e.outerHTML.slice(0, 120))`;

/** The latency the element shows ("123 ms"), as a number. */
const latencyOf = async (element: Locator) => Number(/(\d+) ms/.exec((await element.textContent()) ?? '')?.[1] ?? NaN);

/** The tooltip the element names as its description, once shown. */
async function shownPopover(page: Page, element: Locator): Promise<Locator> {
  const ids = ((await element.getAttribute('aria-describedby')) ?? '').split(' ');
  const popover = page.locator(`[role="tooltip"]:visible`);
  await popover.waitFor();
  expect(ids).toContain(await popover.getAttribute('id'));
  return popover;
}

describeWith('chromium')('popovers, every block of a definition, latency of every check', () => {
  beforeAll(async () => {
    const port = await freePort();
    // Each answer waits as long as the file says (0 without it): the test sets the check's latency.
    const server = `const fs = require('node:fs'); require('node:http').createServer((q, s) => {
      let ms = 0; try { ms = Number(fs.readFileSync(${JSON.stringify(delayFile)}, 'utf8')) || 0; } catch {}
      setTimeout(() => s.end('ok'), ms); }).listen(${port}, '127.0.0.1')`;
    tableBlock = [
      '[services.api]',
      'description = "the api, slow when told"',
      'dependencies = ["db"]',
      `ports = [${port}]`,
      '[services.api.deployment]',
      'mode = "binary"',
      `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify(['-e', server])} }`,
    ].join('\n');
    checkBlock = [
      '[services.api.health_check]',
      'type = "http"',
      'interval = "2s"',
      'timeout = "2s"',
      '[services.api.health_check.http]',
      `url = "http://127.0.0.1:${port}/health"`,
    ].join('\n');
    registry = [tableBlock, '', nodeService('db', sleeper, 'description = "the database"'), "# the api's check, kept apart", checkBlock, ''].join('\n');
    center = await openControlCenter(registry);
    await center.home.run(['services', 'start', 'api']);
    await center.page.locator('[data-testid="node-api"][data-state="healthy"]').waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await center?.close();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it("shows each check's latency on the node and in the table while the state stays healthy", async () => {
    const { page } = center;
    const node = page.getByTestId('node-api');
    const latency = node.locator('.node-latency');
    await expect.poll(() => latencyOf(latency), { timeout: 10_000 }).toBeLessThan(250);
    // Slower answers, one after the other: each reaches the node by a check, not by a change of state.
    for (const delay of [300, 700]) {
      writeFileSync(delayFile, String(delay));
      await expect.poll(() => latencyOf(latency), { timeout: 15_000 }).toBeGreaterThanOrEqual(delay);
      expect(await node.getAttribute('data-state')).toBe('healthy');
    }
    await center.screenshot('graph-latency-every-check');
    await page.getByRole('tab', { name: 'Services' }).click();
    const row = page.getByTestId('row-api');
    await expect.poll(async () => latencyOf(row), { timeout: 10_000 }).toBeGreaterThanOrEqual(700);
    writeFileSync(delayFile, '0');
    await expect.poll(async () => latencyOf(row), { timeout: 15_000 }).toBeLessThan(250);
    expect(await row.getAttribute('data-state')).toBe('healthy');
    await page.getByRole('tab', { name: 'Graph' }).click();
  });

  it('leaves no native title tooltip in any view', async () => {
    const { page } = center;
    for (const tab of ['Graph', 'Services', 'Logs', 'Events', 'Preflight', 'Settings']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.locator('#view').waitFor();
      expect(await page.evaluate<string[]>(TITLED), tab).toEqual([]);
    }
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    await page.getByTestId('card-api').waitFor();
    expect(await page.evaluate<string[]>(TITLED), 'cards').toEqual([]);
    await page.getByRole('radio', { name: 'Table' }).check();
    await page.getByRole('tab', { name: 'Graph' }).click();
  });

  it("shows a graph node's popover on hover and on focus, on top of every node and inside the window; Escape hides it", async () => {
    const { page } = center;
    const node = page.getByTestId('node-api');
    await node.hover();
    const popover = await shownPopover(page, node);
    expect(await popover.textContent()).toContain('the api, slow when told');
    // What is drawn at its middle is the popover itself: no node (nor the graph's panes) lies over it.
    const box = (await popover.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height).toBe(true);
    // (Hit-testing skips what takes no pointer events, as a popover does not: it is made to for the question.)
    const id = JSON.stringify(await popover.getAttribute('id'));
    const onTop = await page.evaluate<boolean>(`(() => {
      const popover = document.getElementById(${id});
      popover.style.pointerEvents = 'auto';
      const hit = document.elementFromPoint(${box.x + box.width / 2}, ${box.y + box.height / 2})?.closest('[role="tooltip"]') === popover;
      popover.style.pointerEvents = '';
      return hit;
    })()`);
    expect(onTop).toBe(true);
    await center.screenshot('graph-node-popover');
    await page.mouse.move(0, 0);
    await popover.waitFor({ state: 'hidden' });

    // By keyboard: the node focused shows it, Escape hides it and leaves the focus where it was.
    await node.focus();
    const focused = await shownPopover(page, node);
    expect(await focused.textContent()).toContain('the api, slow when told');
    await page.keyboard.press('Escape');
    await focused.waitFor({ state: 'hidden' });
    expect(await page.evaluate<string | null>(`document.activeElement?.getAttribute('data-testid') ?? null`)).toBe('node-api');
  });

  it("shows a problems count's explanation to the keyboard as its description", async () => {
    const { page } = center;
    const errors = page.getByTestId('problems-errors');
    await errors.focus();
    expect(await (await shownPopover(page, errors)).textContent()).toBe('No errors now.');
    await page.keyboard.press('Escape');
    await page.locator('[role="tooltip"]:visible').waitFor({ state: 'hidden' });
  });

  it('shows every block of a split definition in the detail view, each with its file and line', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByTestId('row-api').focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog', { name: 'api' });
    await detail.waitFor();
    const blocks = detail.locator('.toml-block');
    await expect.poll(() => blocks.locator('pre').allTextContents(), { timeout: 10_000 }).toEqual([tableBlock, checkBlock]);
    const lines = registry.split('\n');
    const captions = await blocks.locator('figcaption').allTextContents();
    expect(captions).toHaveLength(2);
    expect(captions[0]).toMatch(/services\.toml, line 1$/);
    expect(captions[1]).toMatch(new RegExp(`services\\.toml, line ${lines.indexOf('[services.api.health_check]') + 1}$`));
    await blocks.nth(1).scrollIntoViewIfNeeded();
    await center.screenshot('service-detail-split-definition');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
  });
});
