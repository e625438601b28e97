/**
 * Editing the graph while the platform runs touches nothing that runs (issue 16), as a person sees
 * it in Chromium: on a copy of the demo registry with every service healthy, a dependency added in
 * the selected service's panel and removed again — no node ever leaves healthy (every change of a
 * node's state is recorded in the page as React makes it), and no sparkline loses its history.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { ownerOf } from '../support/home-client';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';
import { waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const SERVICES = ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'];
let center: ControlCenter;
let client: OwnerClient;

interface Watched {
  /** Every state a node was drawn in, in order. */
  readonly states: Record<string, string[]>;
  /** Checks each node's sparkline shows now, and the fewest it showed since watching began. */
  readonly points: Record<string, number>;
  readonly fewest: Record<string, number>;
}

/** How many checks a node's sparkline shows (one of fewer than two checks has no label: none). */
const POINTS_OF = `(name) => Number(/last (\\d+) checks/.exec(document.querySelector('[data-testid="node-' + name + '"] .sparkline')?.getAttribute('aria-label') ?? '')?.[1] ?? 0)`;

/** Run in the page (as text: this file has no DOM types): records each node's state as React changes it, and its sparkline's length. */
const WATCH_NODES = `(() => {
  const pointsOf = ${POINTS_OF};
  const watched = { states: {}, points: {}, fewest: {} };
  window.watched = watched;
  const look = () => {
    for (const node of document.querySelectorAll('[data-testid^="node-"]')) {
      const name = node.dataset.testid.slice('node-'.length);
      const states = (watched.states[name] ??= []);
      if (states.at(-1) !== node.dataset.state) states.push(node.dataset.state);
      const points = pointsOf(name);
      watched.points[name] = points;
      watched.fewest[name] = Math.min(watched.fewest[name] ?? points, points);
    }
  };
  look();
  new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'aria-label'] });
})()`;

const watched = () => center.page.evaluate<Watched>('window.watched');
const sparklinePoints = () =>
  center.page.evaluate<Record<string, number>>(`Object.fromEntries(${JSON.stringify(SERVICES)}.map((name) => [name, (${POINTS_OF})(name)]))`);

describeWith('chromium')('editing the graph while everything runs', () => {
  beforeAll(async () => {
    center = await openControlCenter((await demoRegistryWithFreePorts()).text);
    client = await ownerOf(center.home);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await center?.close();
  }, 60_000);

  it('keeps every node healthy and every sparkline’s history through an edge added and removed', async () => {
    const { page, home } = center;
    expect((await home.run(['platform', 'start'])).code).toBe(0);
    for (const name of SERVICES) await page.locator(`[data-testid="node-${name}"][data-state="healthy"]`).waitFor({ timeout: 30_000 });
    // Each sparkline has some history to lose first (auth is checked every 5 s).
    await expect.poll(async () => Math.min(...Object.values(await sparklinePoints())), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await page.evaluate(WATCH_NODES);
    const before = (await watched()).points;

    const web = () => /\[services\.web\]\n[\s\S]*?(?=\n\[)/.exec(readFileSync(home.registry, 'utf8'))![0];
    const original = readFileSync(home.registry, 'utf8');
    await page.getByTestId('node-web').click();
    const panel = page.getByRole('region', { name: 'Dependencies of web' });
    await panel.getByLabel('A service for web to depend on').selectOption('cache');
    await panel.getByRole('button', { name: 'Add' }).click();
    await expect.poll(web, { timeout: 30_000 }).toContain('dependencies = ["api", "indexer", "cache"]');
    await page.locator('.react-flow__edge[aria-label="web depends on cache"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.getByRole('button', { name: "Remove web's dependency on cache" }).click();
    await expect.poll(() => readFileSync(home.registry, 'utf8'), { timeout: 30_000 }).toBe(original);
    const editsEnded = Date.now();

    // Two checks of every service made after the edits (on the same supervisors), then the page has
    // shown them: each sparkline as long as before or longer (up to its 20), never shorter meanwhile.
    const checkedSince = (history: readonly { at: number }[]) => history.filter((result) => result.at > editsEnded).length;
    await waitFor(async () => Object.values(await client.call('healthHistories', { last: 20 })).every((history) => checkedSince(history) >= 2), 60_000);
    await expect
      .poll(
        async () => {
          const now = await sparklinePoints();
          return SERVICES.filter((name) => now[name]! < Math.min(20, before[name]! + 2));
        },
        { timeout: 30_000 },
      )
      .toEqual([]);
    const seen = await watched();
    expect(SERVICES.map((name) => [name, seen.states[name]])).toEqual(SERVICES.map((name) => [name, ['healthy']]));
    expect(SERVICES.filter((name) => seen.fewest[name]! < before[name]!)).toEqual([]);
  }, 180_000);
});
