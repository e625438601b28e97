/**
 * The watch toggle in the browser host (Debian's Chromium, real web host and daemon): off until
 * turned on; on, a change of the service's source file restarts it (a new process) and its card
 * and detail view show the last change — the file and its time; off again, the owner watches nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

let center: ControlCenter;
const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];

describeWith('chromium')('the watch toggle', () => {
  beforeAll(async () => {
    center = await openControlCenter(nodeService('api', sleeper, 'watch = { paths = ["src/**"], debounce = "100ms" }'));
    mkdirSync(join(dirname(center.home.registry), 'src'), { recursive: true });
    writeFileSync(join(dirname(center.home.registry), 'src', 'app.js'), '0\n');
    expect((await center.home.run(['platform', 'start', 'api'])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('turns watching on and off from the card, and shows the last change', async () => {
    const { page, home } = center;
    const watchOf = async () => (JSON.parse((await home.run(['services', 'status', 'api', '--json'])).stdout) as ServiceStatus).watch;
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    const card = page.getByTestId('card-api');
    const toggle = card.getByRole('switch', { name: 'Watch the files of api' });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    const pid = home.processes('api')[0]!;
    // Checked once the owner says it watches (the switch shows the engine's state, not a local one).
    await toggle.click();
    await waitFor(() => toggle.isChecked());
    await waitFor(async () => (await watchOf())?.on === true);
    writeFileSync(join(dirname(home.registry), 'src', 'app.js'), '1\n');
    await card.getByText(/^last change: src\/app\.js, .+ → restart$/).waitFor();
    await waitFor(() => home.processes('api').some((p) => p !== pid));
    await center.screenshot('watch-toggle');
    // The detail view shows the same, from the table's row.
    await page.getByRole('radio', { name: 'Table' }).check();
    await page.getByTestId('row-api').focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog', { name: 'api' });
    await detail
      .getByTestId('watch-api')
      .getByText(/^last change: src\/app\.js, .+ → restart$/)
      .waitFor();
    expect(await detail.getByRole('switch', { name: 'Watch the files of api' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    await page.getByRole('radio', { name: 'Cards' }).check();
    await toggle.click();
    await waitFor(async () => !(await toggle.isChecked()));
    await waitFor(async () => (await watchOf())?.on === false);
  }, 60_000);
});
