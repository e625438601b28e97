/**
 * Groups and links in the browser host (Debian's Chromium, real web host and daemon): a labelled
 * registry shows a group per label on the graph and the cards, a group folds and unfolds, Start group
 * starts exactly the group's services (with what they need), and a link is a plain anchor that opens
 * a new tab without an opener.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { freePort, nodeService } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
let center: ControlCenter;
let port: number;

describeWith('chromium')('groups and links in the browser host', () => {
  beforeAll(async () => {
    port = await freePort();
    const server = ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`];
    const registry = [
      nodeService('db', sleeper),
      nodeService(
        'ledger',
        server,
        `labels = ["billing"]\ndependencies = ["db"]\nports = [${port}]\nlinks = [{ name = "Admin", url = "http://127.0.0.1:${port}/admin" }]`,
      ),
      `[services.ledger.health_check]\ntype = "http"\ninterval = "200ms"\n[services.ledger.health_check.http]\nurl = "http://127.0.0.1:${port}/health"\n`,
      nodeService('invoices', sleeper, 'labels = ["billing"]'),
      nodeService('cache', sleeper, 'labels = ["infra"]'),
    ].join('');
    center = await openControlCenter(registry);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('draws a band per label, the rest as other, and folds a group to its header', async () => {
    const { page } = center;
    for (const group of ['billing', 'infra', 'other']) await page.getByTestId(`group-${group}`).waitFor();
    for (const name of ['db', 'ledger', 'invoices', 'cache']) await page.getByTestId(`node-${name}`).waitFor();
    const billing = page.getByTestId('group-billing');
    await billing.getByRole('button', { expanded: true }).click();
    await page.getByTestId('node-ledger').waitFor({ state: 'detached' });
    expect(await page.getByTestId('node-invoices').count()).toBe(0);
    expect(await page.getByTestId('node-db').count()).toBe(1);
    await center.screenshot('groups-folded');
    await billing.getByRole('button', { expanded: false }).click();
    await page.getByTestId('node-ledger').waitFor();
  });

  it('Start group starts the group’s services and what they need, nothing else', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    await page.getByRole('button', { name: 'Start group billing' }).click();
    for (const name of ['db', 'ledger', 'invoices']) await page.locator(`[data-testid="card-${name}"][data-state="healthy"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('card-cache').getAttribute('data-state')).toBe('stopped');
    expect(await page.getByTestId('group-billing').textContent()).toContain('2 of 2 serving');
    await center.screenshot('groups-started');
  }, 60_000);

  it('shows links as anchors to a new tab without an opener; the HTTP port gets its own', async () => {
    const card = center.page.getByTestId('card-ledger');
    const admin = card.getByRole('link', { name: 'Admin ↗' });
    expect(await admin.getAttribute('href')).toBe(`http://127.0.0.1:${port}/admin`);
    expect(await admin.getAttribute('target')).toBe('_blank');
    expect(await admin.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await card.getByRole('link', { name: `port ${port} ↗` }).getAttribute('href')).toBe(`http://127.0.0.1:${port}/`);
    await center.page.getByRole('tab', { name: 'Graph' }).click();
    expect(await center.page.getByTestId('node-ledger').getByRole('link', { name: 'Admin ↗' }).getAttribute('href')).toBe(`http://127.0.0.1:${port}/admin`);
    await center.screenshot('groups-graph');
  });

  it('folds a group of cards', async () => {
    const { page } = center;
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByTestId('group-billing').getByRole('button', { expanded: true }).click();
    await page.getByTestId('card-ledger').waitFor({ state: 'detached' });
    expect(await page.getByTestId('card-cache').count()).toBe(1);
  });
});
