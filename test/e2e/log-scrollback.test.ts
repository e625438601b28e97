/**
 * Reading back through a log, end to end in Debian's Chromium through `provisioning ui`: a service
 * wrote more lines than the log view holds (10,000). "Older" pages back, pausing the follow, and
 * stays usable once the view is full: it reads the lines before the oldest held, lets go of the
 * newest (as a terminal's scrollback), stops following and says so; Follow reads the tail again. An event's "log" opens the
 * log of its service at that event's own lifecycle line, thousands of lines back, selected.
 * Screenshots land in test-artifacts/e2e/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

/** More than the view holds (MAX_HELD): paging back fills it. */
const FLOOD = 10_600;
const TALKER = `console.log('ready'); for (let i = 1; i <= ${FLOOD}; i++) console.log('line ' + String(i).padStart(5, '0') + ' ok');
console.log('flood done'); setInterval(() => {}, 1e9);`;
/** Hang guard on the pages read back: far above the 19 that fill the view. */
const MAX_PAGES = 40;

let center: ControlCenter;

const rows = (page: Page) => page.getByRole('log').locator('.xterm-rows');
const count = (page: Page) => page.getByTestId('log-count');
const status = (page: Page) => page.getByTestId('log-status');
const notice = (page: Page) => page.locator('.log-view__notice');
/** The numbers of the flood's lines on screen. */
const numbersShown = async (page: Page) => [...(await rows(page).innerText()).matchAll(/line (\d{5}) ok/g)].map((m) => Number(m[1]));

describeWith('chromium')('reading back through a log', () => {
  beforeAll(async () => {
    center = await openControlCenter(nodeService('talker', ['-e', TALKER]));
    await center.home.run(['services', 'start', 'talker']);
    // Every line is in the log file before the view opens: it opens on the last 500.
    await waitFor(async () => (await center.home.run(['services', 'logs', 'talker', '--lines', '2'])).stdout.includes('flood done') || undefined, 20_000);
    const { page } = center;
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByLabel('Service whose log is shown').selectOption('talker');
    // (beforeAll has no expect.poll: waitFor polls the same way.)
    await waitFor(async () => (await count(page).textContent()) === '500 lines' || undefined, 10_000);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('pages back with Older, also when the view is full: then it lets go of the newest lines and says it no longer follows', async () => {
    const { page } = center;
    const older = page.getByRole('button', { name: 'Load older lines' });
    // Page back until the view holds all it can: each page pauses the follow, none lets a line go.
    for (let page_ = 0; (await count(page).textContent()) !== '10,000 lines' && page_ < MAX_PAGES; page_++) {
      const before = await count(page).textContent();
      await older.click();
      await expect.poll(() => count(page).textContent(), { timeout: 10_000 }).not.toBe(before);
    }
    expect(await count(page).textContent()).toBe('10,000 lines');
    expect(await status(page).textContent()).toMatch(/^paused · /);
    expect(await notice(page).textContent()).toBe('loaded 500 older lines · following paused (Follow goes on)');
    // Full: Older still reads back.
    await expect.poll(() => older.isEnabled(), { timeout: 10_000 }).toBe(true);
    // Its popover says what it will do now, to the keyboard too.
    await older.focus();
    const popover = page.getByRole('tooltip', { name: /older ones take the place of the newest/ });
    await popover.waitFor();
    expect(await older.getAttribute('aria-describedby')).toBe(await popover.getAttribute('id'));
    await older.click();
    await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^reading older lines, not following · 0 newer not shown$/);
    expect(await notice(page).textContent()).toMatch(/^loaded 500 older lines · following stopped: the newest lines were let go/);
    expect(await count(page).textContent()).toBe('10,000 lines');
    // In view: the seam, the newest of the lines read (older than any the full view held) above what was held.
    await expect.poll(async () => Math.min(...(await numbersShown(page))), { timeout: 10_000 }).toBeLessThan(FLOOD - 10_000);
    expect(await rows(page).innerText()).not.toContain('flood done');
    expect(await page.getByRole('button', { name: 'Follow the log' }).getAttribute('aria-pressed')).toBe('true');
    await center.screenshot('logs-scrollback');

    // Follow: the tail again, live.
    await page.getByRole('button', { name: 'Follow the log' }).click();
    await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toBe('following talker');
    await expect.poll(() => rows(page).innerText(), { timeout: 10_000 }).toContain('flood done');
    await expect.poll(() => count(page).textContent(), { timeout: 10_000 }).toBe('500 lines');
  });

  it("opens an event's log at that event's own line, read from the files thousands of lines back, and selects it", async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Events' }).click();
    const events = page.getByTestId('event-row').filter({ has: page.getByRole('button', { name: 'Select talker' }) });
    const first = events.last(); // newest first: the last is the talker's first change
    const to = (await first.getAttribute('data-to'))!;
    const reason = (await first.locator('.event-reason').textContent())!;
    const log = first.getByRole('button', { name: /^Log of talker at line \d+$/ });
    const seq = Number(/line (\d+)$/.exec((await log.getAttribute('aria-label'))!)![1]);
    expect(seq).toBeLessThan(10); // before the flood: far older than the last 500 a view opens with
    await log.click();

    await expect.poll(() => notice(page).textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^line ${seq} of talker · following stopped`));
    expect(await status(page).textContent()).toMatch(/^reading older lines, not following/);
    const shown = await rows(page).innerText();
    expect(shown).toContain(`${to}: ${reason.slice(0, 12)}`);
    expect(shown).toContain('ready');
    expect(shown).not.toContain('flood done');
    // The line itself is the selection (drawn by xterm over the rows).
    expect(await page.locator('.xterm-selection > div').count()).toBeGreaterThan(0);
    await center.screenshot('logs-event-line');
  });
});
