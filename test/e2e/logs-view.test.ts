/**
 * The log view end to end, in Debian's Chromium through `provisioning ui`: a service that wrote 800
 * numbered lines (and a few to stderr) and one that failed at start. Typing filters at once and
 * says "n of m", with the matches lit in the theme's fill (light and dark); the stream toggle
 * hides stderr; the failure is red; "load older lines" pages back past the first 500; Download
 * saves exactly the lines shown. Screenshots land in test-artifacts/e2e/.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const LINES = 800;
// Numbered lines, every hundredth also a warning on stderr, then it stays up quietly.
const TALKER = `for (let i = 1; i <= ${LINES}; i++) { console.log('line ' + String(i).padStart(4, '0') + ' ok'); if (i % 100 === 0) console.error('warn ' + i); } setInterval(() => {}, 1e6);`;
const REGISTRY = [nodeService('talker', ['-e', TALKER]), nodeService('broken', ['-e', 'process.exit(3)'], '', 'restart = "no"')].join('\n');

let center: ControlCenter;

const rows = (page: Page) => page.getByRole('log').locator('.xterm-rows');
const count = (page: Page) => page.getByTestId('log-count');
const filter = (page: Page) => page.getByLabel(/^Filter the log/);

/** The computed colour or background of the terminal's cell spans whose text is `text` (exactly, or containing it). */
async function cellStyles(rowsOf: Locator, text: string, property: 'color' | 'backgroundColor', exact = false): Promise<string[]> {
  return rowsOf.evaluate(
    (element, [wanted, key, whole]) =>
      Array.from(element.querySelectorAll('span'))
        .filter((s) => (whole ? s.textContent === wanted : s.textContent?.includes(wanted!)))
        .map((s) => getComputedStyle(s)[key as 'color' | 'backgroundColor']),
    [text, property, exact ? 'exact' : ''],
  );
}

const rgb = (css: string | undefined): number[] => (css?.match(/\d+/g) ?? []).slice(0, 3).map(Number);

describeWith('chromium')('the log view', () => {
  beforeAll(async () => {
    center = await openControlCenter(REGISTRY);
    await center.home.run(['services', 'start', 'talker']);
    await center.home.run(['services', 'start', 'broken']); // fails: its log says so
    // Every line is in the log file before the view opens, so its first tail is the last 500 of them.
    await waitFor(async () => (await center.home.run(['services', 'logs', 'talker', '--lines', '2'])).stdout.includes('warn 800') || undefined, 20_000);
    await center.page.getByRole('tab', { name: 'Logs' }).click();
    await center.page.getByLabel('Service whose log is shown').selectOption('talker');
    await waitFor(async () => (await count(center.page).textContent()) === '500 lines' || undefined, 10_000);
  }, 90_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('filters as you type, says how many lines of how many match, and lights the matches in both themes', async () => {
    const { page } = center;
    await filter(page).click();
    await page.keyboard.type('line 07');
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toBe('100 of 500 lines');
    const text = await rows(page).innerText();
    expect(text).toContain('line 0799 ok');
    expect(text).not.toContain('line 0800');
    expect(text).not.toContain('line 0699');
    // Every match on screen lit, in the light theme's fill (#ffe066, under the page's dark text)…
    const lit = await cellStyles(rows(page), 'line 07', 'backgroundColor', true);
    expect(lit.length).toBeGreaterThan(10);
    expect(new Set(lit)).toEqual(new Set(['rgb(255, 224, 102)']));
    await center.screenshot('logs-filter-light');
    // …and in the dark theme's (#6b5500) once the page turns dark.
    await page.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
    await expect
      .poll(async () => [...new Set(await cellStyles(rows(page), 'line 07', 'backgroundColor', true))], { timeout: 5_000 })
      .toEqual(['rgb(107, 85, 0)']);
    await center.screenshot('logs-filter-dark');
    await page.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
  });

  it('hides stderr lines when the err stream is switched off', async () => {
    const { page } = center;
    await filter(page).fill('warn');
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toMatch(/^[1-9] of 500 lines$/);
    expect(await rows(page).innerText()).toContain('warn 800');
    await page.getByRole('button', { name: 'Show standard error' }).click();
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toBe('0 of 500 lines');
    expect(await rows(page).innerText()).not.toContain('warn 800');
    await page.getByRole('button', { name: 'Show standard error' }).click();
    await filter(page).fill('');
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toBe('500 lines');
  });

  it('loads lines older than the first 500 from the log files', async () => {
    const { page } = center;
    await filter(page).fill('line 0001 ');
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toBe('0 of 500 lines');
    await page.getByRole('button', { name: 'Load older lines' }).click();
    await expect.poll(() => count(page).textContent(), { timeout: 10_000 }).toMatch(/^1 of \d{3} lines$/);
    const total = Number(/of (\d+)/.exec((await count(page).textContent())!)![1]);
    expect(total).toBeGreaterThan(LINES); // 800 lines, 8 warnings and the lifecycle lines: the whole log
    expect(total).toBeLessThan(1000);
    // The count is sampled from the store; the terminal draws the rewrite on its next frame.
    await expect.poll(() => rows(page).innerText(), { timeout: 5_000 }).toContain('line 0001 ok');
    await center.screenshot('logs-older');
  });

  it('downloads exactly the lines the filter shows', async () => {
    const { page } = center;
    await filter(page).fill('line 07');
    await expect.poll(() => count(page).textContent(), { timeout: 5_000 }).toMatch(/^100 of \d{3} lines$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the lines shown' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^talker-.*\.log$/);
    const lines = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // each line ends with a newline
    expect(lines).toHaveLength(100);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} line 07${String(i).padStart(2, '0')} ok$`)));
  });

  it('shows a lifecycle failure in red', async () => {
    const { page } = center;
    await filter(page).fill('');
    await page.getByLabel('Service whose log is shown').selectOption('broken');
    await expect.poll(() => rows(page).innerText(), { timeout: 10_000 }).toContain('✖ failed');
    const [red, green, blue] = rgb((await cellStyles(rows(page), '✖ failed', 'color'))[0]);
    expect(red).toBeGreaterThan(green! + 80);
    expect(red).toBeGreaterThan(blue! + 80);
    // Not every lifecycle line: the start itself stays the event colour.
    const [r2, , b2] = rgb((await cellStyles(rows(page), '● start', 'color'))[0]);
    expect(b2).toBeGreaterThan(r2!);
    await center.screenshot('logs-failure-red');
  });
});
