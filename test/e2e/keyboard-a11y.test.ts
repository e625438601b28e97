/**
 * The control center by keyboard alone, and checked by axe-core, in Debian's Chromium through the
 * web host at 1024 px: Tab reaches the graph as one stop, arrow keys move between nodes by
 * position, Enter opens a node's detail; Ctrl+K's palette stops a running service by its name;
 * `?` shows the shortcut sheet. Then axe-core (from npm, injected into the page) finds no serious
 * or critical violation in any view, nor in the palette, the sheet or a service's detail, in the
 * light and dark themes.
 * Screenshots land in test-artifacts/e2e/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';
import { describeWith } from '../support/engines';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Bounds on key presses: hang guards, far above what the page needs. */
const MAX_TABS = 60;
let center: ControlCenter;

/** The name of the graph node that has focus, if one has. */
// Page-side code is text: this project's Node typings have no DOM.
const focusedNode = (page: Page) =>
  page.evaluate<string | undefined>(`document.activeElement?.closest('.service-node')?.getAttribute('data-testid')?.replace(/^node-/, '') ?? undefined`);

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the debugging protocol, which the page's CSP (no inline scripts) does not govern.
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(AXE);
  return page.evaluate<Violation[]>(`axe.run(document, { resultTypes: ['violations'] }).then(({ violations }) =>
    violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
}

describeWith('chromium')('the control center by keyboard, and to axe-core', () => {
  beforeAll(async () => {
    center = await openControlCenter((await demoRegistryWithFreePorts()).text, { width: 1024, height: 768 });
    await center.page.getByTestId('node-web').waitFor();
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('tabs into the graph as one stop, moves between nodes with the arrow keys, and opens one with Enter', async () => {
    const { page } = center;
    await page.locator('body').focus();
    let presses = 0;
    while ((await focusedNode(page)) === undefined && presses < MAX_TABS) {
      await page.keyboard.press('Tab');
      presses++;
    }
    const first = await focusedNode(page);
    expect(first).toBe('orchestrator');
    // One stop: the next Tab leaves the graph's nodes.
    await page.keyboard.press('Tab');
    expect(await focusedNode(page)).toBeUndefined();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedNode(page)).toBe('orchestrator');

    // Moving the tab stop rebuilds the nodes: none may be hidden for re-measuring meanwhile (that drops the focus on a loaded machine).
    await page.evaluate(`window.hiddenNodes = 0; new MutationObserver((changes) => { window.hiddenNodes += changes.filter((c) => c.target.style.visibility === 'hidden').length; })
      .observe(document.querySelector('.react-flow__nodes'), { attributes: true, subtree: true, attributeFilter: ['style'] })`);
    await page.keyboard.press('ArrowRight');
    const second = await focusedNode(page);
    expect(['auth', 'cache', 'indexer']).toContain(second);
    await page.keyboard.press('ArrowRight');
    expect(await focusedNode(page)).toBe(second === 'indexer' ? 'web' : 'api');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedNode(page)).not.toBe('web');
    expect(await page.evaluate('window.hiddenNodes')).toBe(0);
    const chosen = (await focusedNode(page))!;
    await center.screenshot('keyboard-graph-focus');

    await page.keyboard.press('Enter');
    const detail = page.getByTestId('service-detail');
    await detail.waitFor();
    expect(await detail.getByRole('heading', { level: 2 }).first().textContent()).toContain(chosen);
    // The side card opened beside the graph too, and the graph was refit: every node is inside the canvas.
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    expect(await focusedNode(page)).toBe(chosen);
    await page.getByRole('complementary', { name: `${chosen} details` }).waitFor();
    await expect.poll(() => nodesOutsideCanvas(page), { timeout: 5_000 }).toEqual([]);
    await center.screenshot('keyboard-graph-side-card-1024');
  }, 40_000);

  it('stops a running service through the command palette (Ctrl+K), by its name', async () => {
    const { page, home } = center;
    expect((await home.run(['services', 'start', 'orchestrator'])).code).toBe(0);
    const node = page.getByTestId('node-orchestrator');
    await page.locator('[data-testid="node-orchestrator"][data-state="healthy"]').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await palette.getByRole('combobox').waitFor();
    await page.keyboard.type('stop orch');
    await expect.poll(() => palette.getByRole('option', { selected: true }).textContent()).toBe('Stop orchestrator');
    await center.screenshot('command-palette');
    await page.keyboard.press('Enter');
    await palette.getByRole('combobox').waitFor({ state: 'detached' });
    await expect.poll(() => node.getAttribute('data-state'), { timeout: 30_000 }).toBe('stopped');
  }, 60_000);

  it('shows every shortcut on `?`', async () => {
    const { page } = center;
    await page.locator('body').focus();
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await sheet.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    const text = await sheet.textContent();
    for (const key of ['Ctrl+K', 'Esc', '/', 'Enter', 'Graph view', 'Logs view']) expect(text).toContain(key);
    await center.screenshot('shortcut-sheet');
    await page.keyboard.press('Escape');
    await sheet.getByRole('heading').waitFor({ state: 'hidden' });
  });

  it('has no serious or critical axe-core violation in any view, the palette or the sheet, in either theme', async () => {
    const { page, home } = center;
    // A healthy service on screen, so its colours (the badge and node state of the 2.76:1) are checked too.
    expect((await home.run(['services', 'start', 'orchestrator'])).code).toBe(0);
    await page.locator('[data-testid="node-orchestrator"][data-state="healthy"]').waitFor({ timeout: 30_000 });
    // The critical path of that start, with how long its service took on the node.
    const critical = page.getByRole('button', { name: 'Critical path' });
    await expect.poll(() => critical.isEnabled(), { timeout: 10_000 }).toBe(true);
    await critical.click();
    expect(await page.getByTestId('node-orchestrator').locator('.node-took').textContent()).toMatch(/^\d+(\.\d)? m?s$/);
    await center.screenshot('graph-critical-path-durations');
    await critical.click();
    const found: string[] = [];
    const check = async (where: string) => {
      for (const v of await seriousViolations(page)) found.push(`${where}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.slice(0, 4).join(', ')}`);
    };
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs.length).toBeGreaterThanOrEqual(5);
    for (const theme of ['light', 'dark'] as const) {
      await page.getByRole('tab', { name: 'Settings' }).click();
      // The radio follows the saved setting (a round trip to the engine): clicked, then awaited on <html>.
      await page.getByRole('radio', { name: theme }).click();
      // Polled through evaluate: waitForFunction evaluates its text in the page, which the CSP (no unsafe-eval) refuses.
      await expect.poll(() => page.evaluate('document.documentElement.dataset.theme'), { timeout: 5_000 }).toBe(theme);
      for (const tab of tabs) {
        await page.getByRole('tab', { name: tab }).click();
        await page.locator(`[role="tab"][aria-selected="true"]`, { hasText: tab }).waitFor();
        if (tab === 'Logs') await page.getByRole('log').first().waitFor({ timeout: 15_000 });
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await check(`${tab} (${theme})`);
        await center.screenshot(`axe-${tab.toLowerCase()}-${theme}`);
      }
      await page.getByRole('tab', { name: 'Graph' }).click();
      await page.keyboard.press('Control+k');
      await page.getByTestId('command-palette').getByRole('combobox').waitFor();
      await check(`command palette (${theme})`);
      await page.keyboard.press('Escape');
      await page.locator('body').focus();
      await page.keyboard.press('?');
      await page.getByTestId('shortcut-sheet').getByRole('heading').waitFor();
      await check(`shortcut sheet (${theme})`);
      await page.keyboard.press('Escape');
      // The palette's Why opens the service's detail view.
      await page.keyboard.press('Control+k');
      await page.keyboard.type('why orch');
      await page.keyboard.press('Enter');
      await page.getByTestId('service-detail').waitFor();
      await check(`service detail (${theme})`);
      await center.screenshot(`axe-detail-${theme}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('service-detail').waitFor({ state: 'hidden' });
    }
    if (found.length > 0) console.log(`axe-core found:\n${found.join('\n')}`);
    expect(found).toEqual([]);
  }, 120_000);
});

/** Service nodes not wholly inside the graph's canvas (under the side card or off screen). */
function nodesOutsideCanvas(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const canvas = document.querySelector('.graph-canvas').getBoundingClientRect();
    return [...document.querySelectorAll('.service-node')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return box.left < canvas.left || box.right > canvas.right || box.top < canvas.top || box.bottom > canvas.bottom;
      })
      .map((node) => node.dataset.testid ?? '?');
  })()`);
}
