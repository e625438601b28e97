/**
 * The control center end to end, in Debian's Chromium through the web host, on (a copy of) the demo
 * registry: the graph shows every service; Start platform brings all to healthy with cards and node
 * colours following live; stopping the orchestrator asks first, listing its dependents; the log
 * view shows a service's lines as they are written; connecting two nodes adds a dependency to the
 * TOML (comments intact) and a cycle is refused. Screenshots land in test-artifacts/e2e/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';
import { describeWith } from '../support/engines';

const SERVICES = ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'];
let center: ControlCenter;

describeWith('chromium')('the control center in a browser', () => {
  beforeAll(async () => {
    center = await openControlCenter((await demoRegistryWithFreePorts()).text);
  }, 60_000);
  afterAll(async () => {
    await center?.close();
  }, 60_000);

  it('draws every service of the registry on the graph', async () => {
    const { page } = center;
    for (const name of SERVICES) await page.getByTestId(`node-${name}`).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(SERVICES.length);
    expect(await page.locator('.react-flow__edge').count()).toBe(7);
    expect(await page.getByTestId('summary').textContent()).toBe('0 of 6 serving');
    await center.screenshot('graph-stopped');
  });

  it('starts the platform, and the nodes and cards turn healthy live', async () => {
    const { page } = center;
    await page.getByRole('button', { name: 'Start platform' }).click();
    await page.getByTestId('node-orchestrator').and(page.locator('[data-state="starting"], [data-state="healthy"]')).waitFor({ timeout: 5_000 });
    for (const name of SERVICES) await page.locator(`[data-testid="node-${name}"][data-state="healthy"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('summary').textContent()).toBe('6 of 6 serving');
    await center.screenshot('graph-healthy');
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    for (const name of SERVICES) expect(await page.getByTestId(`card-${name}`).getAttribute('data-state')).toBe('healthy');
    await center.screenshot('cards');
  }, 60_000);

  it('asks before stopping the orchestrator, listing what needs it', async () => {
    const { page } = center;
    await page.getByRole('button', { name: 'Stop orchestrator' }).click();
    const dialog = page.getByTestId('stop-confirmation');
    await dialog.getByRole('heading', { name: 'Stop orchestrator?' }).waitFor();
    expect((await dialog.locator('.blast-radius li').allTextContents()).sort()).toEqual(['api', 'auth', 'cache', 'indexer', 'web']);
    await center.screenshot('stop-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('card-orchestrator').getAttribute('data-state')).toBe('healthy');
  });

  it('shows a service’s log lines as they are written', async () => {
    const { page } = center;
    await page.getByRole('button', { name: 'Logs of api' }).click();
    const log = page.getByRole('log', { name: 'Logs of api' });
    await log.waitFor();
    await expect.poll(() => log.locator('.xterm-rows').innerText(), { timeout: 10_000 }).toContain('healthy');
    await center.home.run(['services', 'restart', 'api']);
    await expect.poll(async () => (await log.locator('.xterm-rows').innerText()).split('starting').length, { timeout: 15_000 }).toBeGreaterThan(2);
    await center.screenshot('logs-api');
  }, 40_000);

  it('adds a dependency by connecting two nodes, keeping the TOML’s comments, and refuses a cycle', async () => {
    const { page, home } = center;
    await page.getByRole('tab', { name: 'Graph' }).click();
    const before = readFileSync(home.registry, 'utf8');
    await connect(center, 'cache', 'indexer');
    await expect.poll(() => readFileSync(home.registry, 'utf8'), { timeout: 10_000 }).not.toBe(before);
    const after = readFileSync(home.registry, 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual(['dependencies = ["orchestrator", "cache"]']);
    expect(after.split('\n').filter((l) => l.startsWith('#'))).toEqual(before.split('\n').filter((l) => l.startsWith('#')));
    await page.locator('.react-flow__edge').nth(7).waitFor();

    await connect(center, 'web', 'orchestrator');
    await page.getByText(/Refused: orchestrator depending on web would make a cycle: orchestrator → .* → orchestrator/).waitFor();
    expect(readFileSync(home.registry, 'utf8')).toBe(after);
    expect(await page.locator('.service-node.mark-cycle').count()).toBeGreaterThanOrEqual(3);
    await center.screenshot('graph-cycle-refused');
  }, 30_000);

  it('removes a dependency by deleting its edge, and undoes it', async () => {
    const { page, home } = center;
    const before = readFileSync(home.registry, 'utf8');
    const indexer = () => /\[services\.indexer\]\n[\s\S]*?(?=\n\[)/.exec(readFileSync(home.registry, 'utf8'))![0];
    expect(indexer()).toContain('dependencies = ["orchestrator", "cache"]');
    await page.locator('.react-flow__edge[aria-label="indexer depends on cache"]').click({ force: true, timeout: 5_000 });
    await page.keyboard.press('Delete');
    await expect.poll(indexer, { timeout: 10_000 }).toContain('dependencies = ["orchestrator"]');
    await expect.poll(() => page.locator('.react-flow__edge[aria-label="indexer depends on cache"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Undo the last dependency edit' }).click();
    await expect.poll(() => readFileSync(home.registry, 'utf8'), { timeout: 10_000 }).toBe(before);
    await page.locator('.react-flow__edge[aria-label="indexer depends on cache"]:not(.selected)').waitFor({ state: 'attached', timeout: 5_000 });
  }, 30_000);

  it('reloads when the file changes on disk, and keeps the last good graph with located errors when it turns invalid', async () => {
    const { page, home } = center;
    const good = readFileSync(home.registry, 'utf8');
    // Waits are hang guards, generous for a loaded machine; the file is put back whatever happens, so
    // the tests after this one start from the registry they expect.
    try {
      writeFileSync(home.registry, good.replace('dependencies = ["api", "indexer"]', 'dependencies = ["api"]'));
      await expect.poll(() => page.locator('.react-flow__edge[aria-label="web depends on indexer"]').count(), { timeout: 30_000 }).toBe(0);
      writeFileSync(home.registry, `${good}\n[services.broken]\norder = "first"\n`);
      const errors = page.getByTestId('registry-errors');
      await errors.waitFor({ timeout: 30_000 });
      const line = good.split('\n').length + 2;
      expect(await errors.textContent()).toContain(`:${line}:1 services.broken.order: expected a number, got a string`);
      expect(await page.locator('.react-flow__node').count()).toBe(SERVICES.length);
      await center.screenshot('graph-invalid-file');
      writeFileSync(home.registry, good);
      await errors.waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.react-flow__edge[aria-label="web depends on indexer"]').waitFor({ timeout: 30_000 });
    } finally {
      writeFileSync(home.registry, good);
    }
  }, 120_000);

  it('moves between views by keyboard, and switches to the dark theme from the settings, kept by the engine', async () => {
    const { page, home } = center;
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press(',');
    await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    // Which mechanism keeps each service's processes together, as the owner's hello says (root here: a cgroup per service).
    await expect.poll(() => page.getByLabel('Process tracking').textContent()).toMatch(/^Process tracking: cgroup per service in \/.*provisioning-[0-9a-f]+/);
    await page.getByRole('radio', { name: 'dark' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await expect.poll(() => readFileSync(join(home.home, 'settings.json'), 'utf8'), { timeout: 5_000 }).toContain('"theme": "dark"');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('g');
    await page.getByRole('tab', { name: 'Graph', selected: true }).waitFor();
    await center.screenshot('graph-dark');
    await page.keyboard.press('p');
    await page.getByRole('tab', { name: 'Preflight', selected: true }).waitFor();
    // It runs: Preflight says so (not "ready" with the reasons of a start it does not need).
    await page.getByRole('row', { name: /orchestrator .*running/ }).waitFor();
    await center.screenshot('preflight');
  }, 30_000);

  it('edits dependencies from the keyboard too, in the panel of the selected service', async () => {
    const { page, home } = center;
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByTestId('node-web').click();
    const panel = page.getByRole('region', { name: 'Dependencies of web' });
    await panel.getByLabel('A service for web to depend on').selectOption('cache');
    await panel.getByRole('button', { name: 'Add' }).press('Enter');
    const web = () => /\[services\.web\]\n[\s\S]*?(?=\n\[)/.exec(readFileSync(home.registry, 'utf8'))![0];
    await expect.poll(web, { timeout: 30_000 }).toContain('dependencies = ["api", "indexer", "cache"]');
    // What would close a cycle is not offered.
    expect(await panel.getByRole('option', { name: 'orchestrator' }).count()).toBe(1);
    await page.getByTestId('node-orchestrator').click();
    expect(await page.getByRole('region', { name: 'Dependencies of orchestrator' }).getByRole('option', { name: 'web' }).count()).toBe(0);
    await page.getByTestId('node-web').click();
    await page.getByRole('button', { name: "Remove web's dependency on cache" }).press('Enter');
    await expect.poll(web, { timeout: 10_000 }).toContain('dependencies = ["api", "indexer"]');
  }, 60_000);

  it('survives its engine being killed: it reconnects to the next owner, which adopts every service', async () => {
    const { page, home } = center;
    const before = SERVICES.map((name) => home.processes(name));
    process.kill((await home.daemonPid())!, 'SIGKILL');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect.poll(async () => (await home.daemonPid()) !== undefined, { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('summary').textContent(), { timeout: 15_000 }).toBe('6 of 6 serving');
    for (const name of SERVICES) await page.locator(`[data-testid="node-${name}"][data-state="healthy"]`).waitFor({ timeout: 10_000 });
    expect(SERVICES.map((name) => home.processes(name))).toEqual(before);
  }, 40_000);
});

/** Drags from `from`'s right handle (what it provides) to `to`'s left handle: `to` now needs `from`. */
async function connect({ page }: ControlCenter, from: string, to: string): Promise<void> {
  const source = await page.locator(`[data-testid="node-${from}"] .react-flow__handle-right`).boundingBox();
  const target = await page.locator(`[data-testid="node-${to}"] .react-flow__handle-left`).boundingBox();
  if (!source || !target) throw new Error(`handles of ${from} or ${to} are not on screen`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}
