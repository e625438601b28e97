/**
 * The control center in Debian's Chromium (no GPU) through the web host: a 500-service registry —
 * time to the graph's first paint (goal < 1.5 s) and the frame rate while panning it; then 10 MB/s
 * of log lines shown in the log view — one service alone, then four at 2.5 MB/s each in the merged
 * view (all services, prefixed, merged by time), with and without a filter typed — frame rate and
 * how long a click (Pause / Follow) takes to show its effect, quiet and while it floods. Goal for
 * every flood: ≥ 50 fps and clicks < 150 ms; the quiet view of the same run is the reference.
 * `npm run bench:ui`.
 */
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { openControlCenter } from '../test/support/browser';
import { printTable } from './measure';
import { syntheticNodes, syntheticToml } from './synthetic-registry';

const rows: string[][] = [];

/** Frames the page draws in `ms` while `act` runs. */
async function framesWhile(page: Page, ms: number, act: () => Promise<void>): Promise<number> {
  // Scripts as text: tsx's helpers (__name) do not exist in the page.
  await page.evaluate(`(() => {
    window.frames_ = 0;
    window.counting = true;
    const tick = () => {
      window.frames_++;
      if (window.counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const began = Date.now();
  await act();
  const left = ms - (Date.now() - began);
  if (left > 0) await page.waitForTimeout(left);
  const frames = await page.evaluate<number>('window.counting = false, window.frames_');
  return (frames * 1000) / Math.max(ms, Date.now() - began);
}

async function graphOf500(): Promise<void> {
  const registry = syntheticToml(syntheticNodes(500, 2, 11));
  for (let run = 0; run < 3; run++) {
    const center = await openControlCenter(registry, { width: 1440, height: 900 });
    const { page } = center;
    await page.addInitScript(`new MutationObserver((_, observer) => {
      if (!document.querySelector('.react-flow__node')) return;
      window.firstNode = performance.now();
      observer.disconnect();
    }).observe(document, { subtree: true, childList: true })`);
    await page.reload();
    await page.waitForSelector('.react-flow__node', { timeout: 30_000 });
    await page.waitForTimeout(300);
    const firstNode = await page.evaluate<number>('window.firstNode');
    const onScreen = await page.locator('.react-flow__node').count();
    const pane = await page.locator('.react-flow__pane').boundingBox();
    const fps = await framesWhile(page, 2_000, async () => {
      const [x, y] = [pane!.x + pane!.width / 2, pane!.y + pane!.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let step = 0; step < 60; step++) await page.mouse.move(x + Math.sin(step / 6) * 400, y + Math.cos(step / 6) * 250);
      await page.mouse.up();
    });
    if (run === 2) await center.screenshot('bench-graph-500');
    rows.push([`graph of 500 services, run ${run + 1}`, `${firstNode.toFixed(0)} ms`, `${onScreen} on screen`, `${fps.toFixed(0)} fps panning`]);
    await center.close();
  }
}

/**
 * In the page: from a click's own timestamp (when the input arrived, so time queued behind log
 * work counts) to the start of the frame that shows its effect (aria-pressed flipped).
 */
const WATCH_CLICKS = `(() => {
  window.clickEffects = [];
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element && event.target.closest('button[aria-pressed]');
    if (!button) return;
    const before = button.getAttribute('aria-pressed');
    const observer = new MutationObserver(() => {
      if (button.getAttribute('aria-pressed') === before) return;
      observer.disconnect();
      requestAnimationFrame((frame) => window.clickEffects.push(frame - event.timeStamp));
    });
    observer.observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
  }, true);
})()`;

interface Clicks {
  /** Click → effect painted, measured in the page (the goal's figure), sorted. */
  readonly inPage: number[];
  /** The same through the driver (CDP round trips and Playwright's checks added), sorted. */
  readonly roundTrip: number[];
}

/** Six clicks (ending as it began): Pause / Follow in the log view, which stays on screen. */
async function clickLatencies(page: Page): Promise<Clicks> {
  await page.evaluate(`window.clickEffects || ${WATCH_CLICKS}, window.clickEffects.length = 0`);
  const roundTrip: number[] = [];
  for (let i = 0; i < 6; i++) {
    const pausing = i % 2 === 0;
    const began = Date.now();
    await page.getByRole('button', { name: pausing ? 'Pause the log' : 'Follow the log' }).click();
    await page.locator(`[aria-label="${pausing ? 'Follow the log' : 'Pause the log'}"][aria-pressed="${pausing}"]`).waitFor();
    roundTrip.push(Date.now() - began);
    await page.waitForTimeout(500);
  }
  const inPage = await page.evaluate<number[]>('window.clickEffects.slice()');
  return { inPage: inPage.sort((a, b) => a - b), roundTrip: roundTrip.sort((a, b) => a - b) };
}

const FPS_GOAL = 50;
const CLICK_GOAL_MS = 150;
const round = (ms: number | undefined) => (ms === undefined ? '?' : ms.toFixed(0));
const median = (list: number[]) => (list.length === 0 ? undefined : (list[Math.floor((list.length - 1) / 2)]! + list[Math.ceil((list.length - 1) / 2)]!) / 2);
const clicks = ({ inPage, roundTrip }: Clicks) =>
  `click→effect ${round(median(inPage))} ms median, ${round(inPage.at(-1))} max (via driver ${round(median(roundTrip))} / ${round(roundTrip.at(-1))})`;
const verdict = (fps: number, { inPage }: Clicks) => (fps >= FPS_GOAL && inPage.length === 6 && inPage.at(-1)! < CLICK_GOAL_MS ? 'goal met' : 'GOAL MISSED');

/** `count` services writing `mbPerSecond` each; shown alone (`merged` false: the first one) or merged. */
async function logFlood(count: number, mbPerSecond: number, merged: boolean): Promise<void> {
  const flood = join(process.cwd(), 'bench', 'log-flood.mjs');
  const names = Array.from({ length: count }, (_, i) => `flood-${i + 1}`);
  const registry = names
    .map(
      (name) =>
        `[services.${name}]\n[services.${name}.deployment]\nmode = "binary"\nbinary = { command = "node", args = [${JSON.stringify(flood)}, "${mbPerSecond}"] }\n`,
    )
    .join('');
  const center = await openControlCenter(registry);
  const { page } = center;
  const what = merged ? `merged view, ${count} services × ${mbPerSecond} MB/s` : `one service, ${mbPerSecond} MB/s`;
  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByLabel('Service whose log is shown').selectOption(merged ? '' : names[0]!);
  let quietClicks: Clicks = { inPage: [], roundTrip: [] };
  const quiet = await framesWhile(page, 5_000, async () => void (quietClicks = await clickLatencies(page)));
  rows.push([`log view, quiet (reference): ${what}`, `${quiet.toFixed(0)} fps`, '', clicks(quietClicks), '']);
  await Promise.all(names.map((name) => center.home.run(['services', 'start', name])));
  await page.waitForTimeout(1_000);
  let floodClicks: Clicks = { inPage: [], roundTrip: [] };
  const fps = await framesWhile(page, 5_000, async () => void (floodClicks = await clickLatencies(page)));
  rows.push([`log view, flood: ${what}`, `${fps.toFixed(0)} fps (${(fps / quiet).toFixed(2)}× quiet)`, '', clicks(floodClicks), verdict(fps, floodClicks)]);
  await center.screenshot(merged ? 'bench-log-flood-merged' : 'bench-log-flood');
  if (merged) {
    // A filter typed during the flood: every held line judged again, the terminal rewritten, matches lit.
    await page.getByLabel(/^Filter the log/).fill('line 0');
    let filterClicks: Clicks = { inPage: [], roundTrip: [] };
    const filtered = await framesWhile(page, 5_000, async () => void (filterClicks = await clickLatencies(page)));
    rows.push([
      `log view, flood, filter typed: ${what}`,
      `${filtered.toFixed(0)} fps (${(filtered / quiet).toFixed(2)}× quiet)`,
      '',
      clicks(filterClicks),
      verdict(filtered, filterClicks),
    ]);
    await center.screenshot('bench-log-flood-merged-filtered');
  }
  await Promise.all(names.map((name) => center.home.run(['services', 'stop', name])));
  await center.close();
}

const only = process.argv.includes('--logs-only'); // the log cases alone, when working on the log view
if (!only) await graphOf500();
rows.forEach((row) => row.push(''));
await logFlood(1, 10, false);
await logFlood(4, 2.5, true);
printTable(['case', 'first paint / frame rate', 'nodes', 'interaction', 'goal (≥ 50 fps, clicks < 150 ms)'], rows);
