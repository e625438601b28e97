/**
 * Preflight remedies in the browser host (issue 20, item 7; Debian's Chromium, real web host and
 * daemon): a service whose dependency is stopped offers "Start <dependency>" in its Preflight row;
 * one click starts that dependency (a real process) and the offer goes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
let center: ControlCenter;

describeWith('chromium')('preflight remedies', () => {
  beforeAll(async () => {
    center = await openControlCenter([nodeService('db', sleeper), nodeService('app', sleeper, 'dependencies = ["db"]')].join('\n'));
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('starts a stopped dependency from the row that waits for it', async () => {
    const { page, home } = center;
    await page.getByRole('tab', { name: 'Preflight' }).click();
    const offer = page.getByTestId('preflight-app').getByRole('button', { name: 'Start db' });
    await offer.waitFor();
    // The dependency's own row has nothing to fix.
    expect(await page.getByTestId('preflight-db').getByRole('button').count()).toBe(0);
    expect(home.processes('db')).toEqual([]);
    await center.screenshot('preflight-remedy');

    await offer.click();
    await waitFor(() => home.processes('db').length > 0);
    // The next check (≤ 5 s) no longer offers it; app itself was not started.
    await offer.waitFor({ state: 'detached', timeout: 20_000 });
    expect(home.processes('app')).toEqual([]);
  }, 60_000);
});
