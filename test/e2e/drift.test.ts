/**
 * Drift in the browser host (issue 20, item 7; Debian's Chromium, real web host and daemon): an edit
 * of a running service's command on disk shows a "drift" badge on its row, card and graph node and a bar with
 * what `platform update` would restart (the registry push refreshes it, no reload); one click on
 * Apply changes restarts it as a new process, and the badge and the bar go.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = (marker: string) => ['-e', `setInterval(() => {}, 1e9) // ${marker}`];
let center: ControlCenter;

describeWith('chromium')('drift between the registry file and what runs', () => {
  beforeAll(async () => {
    center = await openControlCenter([nodeService('api', sleeper('first')), nodeService('idle', sleeper('first'))].join('\n'));
    expect((await center.home.run(['platform', 'start', 'api'])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('shows the drift of an edited running service and applies the file with one click', async () => {
    const { page, home } = center;
    await page.getByRole('tab', { name: 'Services' }).click();
    const row = page.getByTestId('row-api');
    await row.waitFor();
    await waitFor(async () => (await row.getAttribute('aria-label')) === 'api: healthy');
    const pid = home.processes('api')[0]!;
    expect(pid).toBeGreaterThan(0);
    // Nothing differs yet.
    expect(await page.getByTestId('drift-bar').count()).toBe(0);
    expect(await page.getByTestId('drift-api').count()).toBe(0);

    // Both commands change on disk; only api runs, so only api would restart (idle is only redefined).
    const text = readFileSync(home.registry, 'utf8');
    const edited = text.replaceAll('// first', '// second');
    expect(edited).not.toBe(text);
    writeFileSync(home.registry, edited);

    const bar = page.getByTestId('drift-bar');
    await bar.waitFor();
    await row.getByTestId('drift-api').waitFor();
    expect(await bar.getByTestId('drift-restart').textContent()).toBe('Restartapi');
    expect(await bar.getByTestId('drift-redefine').textContent()).toBe('Redefineidle');
    expect(await page.getByTestId('row-idle').getByTestId('drift-idle').count()).toBe(0);
    // Seeing the plan changed nothing.
    expect(home.processes('api')[0]).toBe(pid);
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByTestId('node-api').getByTestId('drift-api').waitFor();
    expect(await page.getByTestId('node-idle').getByTestId('drift-idle').count()).toBe(0);
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    await page.getByTestId('card-api').getByTestId('drift-api').waitFor();
    await center.screenshot('drift-bar');
    await page.getByRole('radio', { name: 'Table' }).check();

    await bar.getByRole('button', { name: 'Apply changes' }).click();
    const restarted = await waitFor(() => home.processes('api').find((p) => p !== pid));
    expect(home.processes('api')).not.toContain(pid);
    await waitFor(async () => (await row.getAttribute('aria-label')) === 'api: healthy');
    await bar.waitFor({ state: 'detached' });
    expect(await page.getByTestId('drift-api').count()).toBe(0);
    expect(home.processes('api')).toContain(restarted);
  }, 60_000);
});
