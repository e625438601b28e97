/**
 * Causes in plain sight, problems and events (issue 20), in Debian's Chromium through
 * `provisioning ui` on copies of the demo registry:
 * - something else listens on the root service's port: Start platform leaves that node red with
 *   the conflict, every dependent says "blocked by" it (a button that selects it), one notice says
 *   it once, and the Why section names the holder's pid and command;
 * - `kill -9` of a service whose restart policy brings it back: after it recovers, the problems bar
 *   still counts the crash, its node carries the badge, and the Events view — also after a reload —
 *   lists failed (restarting) → starting → healthy with times.
 * Screenshots land in test-artifacts/e2e/.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';
import { describeWith } from '../support/engines';
import { ownerOf } from '../support/home-client';

const DEPENDENTS = ['auth', 'cache', 'indexer', 'api', 'web'];

describeWith('chromium')('causes in plain sight, problems and events', () => {
  describe('a port conflict on the root service', () => {
    let center: ControlCenter;
    let holder: Server;
    let port: number;

    beforeAll(async () => {
      const demo = await demoRegistryWithFreePorts();
      port = demo.ports.get(4701)!;
      center = await openControlCenter(demo.text);
      // Something that is not ours listens on the orchestrator's declared port: this test process.
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    }, 60_000);
    afterAll(async () => {
      holder?.close();
      await center?.close();
    }, 60_000);

    it('shows the root red with the conflict, its dependents blocked by it, one notice, and the holder in Why', async () => {
      const { page } = center;
      for (const name of ['orchestrator', ...DEPENDENTS]) await page.getByTestId(`node-${name}`).waitFor();
      await page.getByRole('button', { name: 'Start platform' }).click();

      const root = page.getByTestId('node-orchestrator');
      await root.and(page.locator('.tone-bad')).waitFor({ timeout: 30_000 });
      const conflict = new RegExp(`port ${port}/tcp is taken by pid ${process.pid} \\(`);
      await expect.poll(() => root.getByTestId('cause-orchestrator').textContent(), { timeout: 10_000 }).toMatch(conflict);
      for (const name of DEPENDENTS) {
        const cause = page.getByTestId(`cause-${name}`);
        await expect.poll(() => cause.textContent(), { timeout: 30_000 }).toBe('blocked by orchestrator');
        expect(await page.getByTestId(`node-${name}`).getAttribute('class')).toContain('tone-warn');
      }

      // One notice for the one cause, naming what it holds back — not one per service.
      const notices = page.getByTestId('notices').locator('.notice');
      await notices.first().waitFor({ timeout: 30_000 });
      expect(await notices.count()).toBe(1);
      expect(await notices.first().textContent()).toMatch(conflict);
      expect((await notices.first().textContent())!.match(/port \d+\/tcp is taken/g)).toHaveLength(1);
      await center.screenshot('port-conflict-graph');

      // "blocked by orchestrator" on a dependent selects the cause; its Why names the holder. (Pressed
      // from the keyboard: a mouse press on a graph node is the graph's, see the report.)
      const blockedBy = page.getByTestId('node-web').getByRole('button', { name: 'Select orchestrator, which blocks web' });
      await blockedBy.focus();
      await page.keyboard.press('Enter');
      const side = page.getByRole('complementary', { name: 'orchestrator details' });
      const why = side.getByTestId('why');
      await expect.poll(() => why.textContent(), { timeout: 15_000 }).toContain('A start now would be refused');
      const holderCommand = `pid ${process.pid} (${process.execPath}`;
      expect(await why.locator('.why-refusals').textContent()).toContain(holderCommand);
      expect(await side.getByTestId('card-orchestrator').getAttribute('class')).toContain('tone-bad');
      await center.screenshot('port-conflict-why');

      // A dependent's Why leads to the root cause.
      await page.getByRole('tab', { name: 'Events' }).click();
      await page.getByTestId('event-row').getByRole('button', { name: 'Select api' }).first().click();
      const apiWhy = page.getByRole('complementary', { name: 'api details' }).getByTestId('why');
      await expect.poll(() => apiWhy.locator('.why-root').allTextContents(), { timeout: 15_000 }).toEqual(['root cause: orchestrator']);

      // The problems bar counts the root as an error, what it holds back as warnings.
      expect(await page.getByTestId('problems-errors').textContent()).toContain('1 error');
      expect(await page.getByTestId('problems-warnings').textContent()).toContain(`${DEPENDENTS.length} warnings`);
    }, 90_000);
  });

  describe('a kill -9 and the recovery', () => {
    let center: ControlCenter;

    beforeAll(async () => {
      const { text } = await demoRegistryWithFreePorts();
      center = await openControlCenter(`${text}\n[services.cache.startup]\nrestart = "on-failure"\nrestart_delay = "1s"\n`);
    }, 60_000);
    afterAll(async () => {
      await center?.close();
    }, 60_000);

    it('keeps the crash counted in the problems bar and lists failed → restarting → healthy in the events, across a reload', async () => {
      const { page, home } = center;
      await page.getByRole('button', { name: 'Start platform' }).click();
      for (const name of ['orchestrator', ...DEPENDENTS]) await page.locator(`[data-testid="node-${name}"][data-state="healthy"]`).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('problems-errors').textContent()).toContain('0 errors');

      const client = await ownerOf(home);
      const pid = (await client.call('status')).find((s) => s.name === 'cache')!.pid!;
      client.close();
      process.kill(pid, 'SIGKILL');

      // The crash is seen (its badge comes with the failure), then the restart policy brings it back.
      await page.getByTestId('failures-cache').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="node-cache"][data-state="healthy"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('failures-cache').textContent()).toBe('crashed 1× in 10 min');
      expect(await page.getByTestId('problems-errors').textContent()).toContain('1 error');
      expect(await page.getByTestId('problems-bar').textContent()).toContain('cache crashed 1× in 10 min, healthy now');
      await center.screenshot('crash-recovered-graph');

      // The bar opens the Events view on the problems; then all of cache's, newest first.
      await page.getByTestId('problems-errors').click();
      const rows = page.getByTestId('event-row');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-to')).toBe('failed');
      await center.screenshot('events-problems');

      const recovery = async () => {
        await page.getByRole('tab', { name: 'Events' }).click();
        await page.getByLabel('State', { exact: true }).selectOption('');
        await page.getByLabel('Service', { exact: true }).selectOption('cache');
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
        const texts = (await rows.allTextContents()).reverse();
        const states = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-to')))).reverse();
        const failed = states.indexOf('failed');
        expect(states.slice(failed)).toEqual(['failed', 'starting', 'healthy']);
        expect(texts[failed]).toContain('healthy → failed · restarting (backoff)');
        expect(texts[failed]).toMatch(/SIGKILL/);
        expect(texts[failed + 1]).toContain('failed → starting');
        expect(texts[failed + 2]).toContain('starting → healthy');
        // Each with its time, in order.
        const times = await rows.locator('time').evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute('datetime')!)).reverse());
        expect(times.slice(failed)).toEqual([...times.slice(failed)].sort((a, b) => a - b));
      };
      await recovery();
      await center.screenshot('events-timeline');

      // Kept by the engine: a reload of the UI shows the same timeline, and still counts the crash.
      await page.reload();
      await page.getByTestId('node-cache').waitFor();
      await expect.poll(() => page.getByTestId('problems-errors').textContent(), { timeout: 10_000 }).toContain('1 error');
      await recovery();

      // A row leads to its service, and to its log.
      await rows.first().getByRole('button', { name: 'Select cache' }).click();
      await page.getByRole('complementary', { name: 'cache details' }).waitFor();
      await page.getByRole('tab', { name: 'Events' }).click();
      await rows
        .first()
        .getByRole('button', { name: /^Log of cache/ })
        .click();
      await page.getByRole('log', { name: 'Logs of cache' }).waitFor({ timeout: 10_000 });
    }, 150_000);
  });
});
