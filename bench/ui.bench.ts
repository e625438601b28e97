/**
 * The control center in Debian's Chromium (no GPU) through the web host: a 500-service registry —
 * time to the graph's first paint (goal < 1.5 s) and the frame rate while panning it; then a service
 * writing 10 MB/s of log lines shown in the log view — frame rate and how long a click (Pause /
 * Follow) takes to show its effect, quiet and while it floods (the UI must stay responsive).
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

/** Click → visible effect, six times (ending as it began), sorted: Pause / Follow in the log view, which stays on screen. */
async function clickLatencies(page: Page): Promise<number[]> {
  const clicks: number[] = [];
  for (let i = 0; i < 6; i++) {
    const pausing = i % 2 === 0;
    const began = Date.now();
    await page.getByRole('button', { name: pausing ? 'Pause the log' : 'Follow the log' }).click();
    await page.locator(`[aria-label="${pausing ? 'Follow the log' : 'Pause the log'}"][aria-pressed="${pausing}"]`).waitFor();
    clicks.push(Date.now() - began);
    await page.waitForTimeout(500);
  }
  return clicks.sort((a, b) => a - b);
}

async function logFlood(): Promise<void> {
  const flood = join(process.cwd(), 'bench', 'log-flood.mjs');
  const registry = `[services.flood]\n[services.flood.deployment]\nmode = "binary"\nbinary = { command = "node", args = [${JSON.stringify(flood)}, "10"] }\n`;
  const center = await openControlCenter(registry);
  const { page } = center;
  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByLabel('Service whose log is shown').selectOption('flood');
  let quietClicks: number[] = [];
  const quiet = await framesWhile(page, 5_000, async () => void (quietClicks = await clickLatencies(page)));
  await center.home.run(['services', 'start', 'flood']);
  await page.waitForTimeout(1_000);
  let floodClicks: number[] = [];
  const fps = await framesWhile(page, 5_000, async () => void (floodClicks = await clickLatencies(page)));
  await center.screenshot('bench-log-flood');
  await center.home.run(['services', 'stop', 'flood']);
  const clicks = (list: number[]) => `click→effect median ${(list[2]! + list[3]!) / 2} ms, max ${list[5]} ms`;
  rows.push(['log view, quiet', `${quiet.toFixed(0)} fps`, '', clicks(quietClicks)]);
  rows.push(['log view, 10 MB/s flood', `${fps.toFixed(0)} fps`, '', clicks(floodClicks)]);
  await center.close();
}

await graphOf500();
await logFlood();
printTable(['case', 'first paint / frame rate', 'nodes', 'interaction'], rows);
