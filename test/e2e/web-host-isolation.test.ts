/**
 * The web host against another local user, in real Chromium: `nobody` serves a page on another
 * 127.0.0.1 port, records every header it receives, and tries the victim's WebSocket from its page
 * and as a plain client (no Origin, a forged Origin, a foreign Host) with whatever credential it
 * saw. The victim's token never reaches it, nothing opens, and the registry path stays as it was;
 * changing it in the UI shows what the new file runs and applies only once confirmed. Two UIs on two
 * ports in one browser keep working side by side. Even the real token, from a page of another
 * origin, is refused at the upgrade; and a tab whose key died stops retrying and says what to do.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fragmentToken } from '../../src-shared/contract/web-session';
import { launchChromium, startUi } from '../support/browser';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const NOBODY = 65534;
let browser: Browser;
let context: BrowserContext;
const homes: Home[] = [];
const stops: (() => Promise<void>)[] = [];

async function victim(service: string) {
  const home = privateHome(nodeService(service, ['-e', 'setInterval(() => {}, 1000)']));
  homes.push(home);
  const ui = await startUi(home);
  stops.push(ui.stop);
  return { home, url: ui.url, token: fragmentToken(ui.url.hash)!, stop: ui.stop };
}

const settingsOf = (home: Home): { registryPath?: string | null } => {
  try {
    return JSON.parse(readFileSync(join(home.home, 'settings.json'), 'utf8')) as { registryPath?: string | null };
  } catch {
    return {};
  }
};

describeWith('chromium')('the web host and another local user', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const stop of stops) await stop();
    for (const home of homes) await home.cleanup();
  }, 60_000);

  it("never lets nobody's page or process read the token or connect, and the registry stays the victim's", async () => {
    const { home, url, token } = await victim('web');
    // nobody's own registry, in nobody's folder: what it would like the victim to run.
    const lair = mkdtempSync(join(tmpdir(), 'pcc-nobody-'));
    chmodSync(lair, 0o755);
    stops.push(async () => rmSync(lair, { recursive: true, force: true }));
    const evil = join(lair, 'evil.toml');
    writeFileSync(evil, nodeService('evil', ['-e', 'require("fs").writeFileSync("/tmp/pwned-by-nobody", "")']));
    chownSync(lair, NOBODY, NOBODY);
    chownSync(evil, NOBODY, NOBODY);
    const attacker = spawn(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, join(process.cwd(), 'test', 'support', 'local-attacker.mjs'), url.port, evil],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    stops.push(async () => void attacker.kill());
    const records: { url?: string; headers?: Record<string, string>; port?: number; probes?: Record<string, unknown> }[] = [];
    createInterface({ input: attacker.stdout }).on('line', (line) => records.push(JSON.parse(line) as (typeof records)[number]));
    const attackerPort = await waitFor(() => records.find((r) => r.port)?.port, 20_000);

    // The victim opens the printed URL and the UI connects; then, in the same browser, the attacker's page.
    const ui = await context.newPage();
    await ui.goto(url.href);
    await ui.getByTestId('node-web').waitFor();
    expect(ui.url()).toBe(`${url.origin}/`); // the token left the address bar
    const lure = await context.newPage();
    await lure.goto(`http://127.0.0.1:${attackerPort}/`);
    await waitFor(() => records.some((r) => r.url === '/report?ws-refused' || r.url === '/report?ws-open'), 20_000);
    // The Origin gate itself: even with the REAL token (handed in by the test, as if it had leaked),
    // a page of another origin is refused at the upgrade (403) — while the victim's own page opens with it.
    // Chromium names the handshake's status only in the page's console (the query marks this attempt).
    const handshakes: string[] = [];
    const onConsole = (message: { text(): string }) => {
      const status = /WebSocket connection to 'ws:\/\/127\.0\.0\.1:(\d+)\/api\?real-token' failed: .*response code: (\d+)/.exec(message.text());
      if (status?.[1] === url.port) handshakes.push(status[2]!);
    };
    lure.on('console', onConsole);
    const withRealToken = ([port, secret]: string[]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api?real-token`, ['provisioning.v1', `token.${secret}`]);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('refused');
      });
    expect(await lure.evaluate(withRealToken, [url.port, token])).toBe('refused');
    await waitFor(() => handshakes.length > 0 || undefined, 10_000);
    expect(handshakes).toEqual(['403']);
    lure.off('console', onConsole);
    expect(await ui.evaluate(withRealToken, [url.port, token])).toBe('open');
    // The victim's tab, navigated to the attacker (a link it followed), sends nothing of ours either.
    await ui.goto(`http://127.0.0.1:${attackerPort}/followed`);
    await waitFor(() => records.some((r) => r.url === '/followed'), 20_000);

    attacker.stdin.write('probe\n');
    const { probes } = await waitFor(() => records.find((r) => r.probes), 20_000);
    expect(JSON.stringify(records)).not.toContain(token);
    expect(records.filter((r) => r.headers?.['cookie'])).toEqual([]);
    expect(records.map((r) => r.url)).toContain('/report?ws-refused');
    expect(records.some((r) => r.url?.startsWith('/report?storage') && r.url.includes(encodeURIComponent('{}')))).toBe(true);
    expect(probes).toEqual({
      'no origin': 403,
      'forged origin, no token': 401,
      'forged origin, guessed token': 401,
      'foreign origin': 403,
      'foreign host': 421,
    });
    expect(settingsOf(home).registryPath ?? null).toBeNull();
    // A tab that opens the address without the printed fragment has no key, and says where to get one.
    const keyless = await context.newPage();
    await keyless.goto(`${url.origin}/`);
    await keyless.getByRole('alert').getByText('Open the exact URL that provisioning ui printed', { exact: false }).waitFor();
    await keyless.close();
  }, 90_000);

  it('asks before a new registry path, naming the file and what it runs, and applies it only once confirmed', async () => {
    const { home, url } = await victim('web');
    const other = join(home.home, 'other.toml');
    writeFileSync(other, nodeService('other', ['-e', '"the other registry runs this"']));
    const page = await context.newPage();
    await page.goto(url.href);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Registry file path').fill(other);
    await page.getByRole('button', { name: 'Use this registry' }).click();
    const dialog = page.getByTestId('registry-confirmation');
    await dialog.getByText(`Use ${other}?`).waitFor();
    expect(await dialog.textContent()).toContain('the other registry runs this');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(settingsOf(home).registryPath ?? null).toBeNull();
    await page.getByRole('button', { name: 'Use this registry' }).click();
    await dialog.getByRole('button', { name: 'Run this registry' }).click();
    await waitFor(() => settingsOf(home).registryPath === other, 10_000);
    await page.close();
  }, 60_000);

  it('gives up a dead key after a few refused opens: forgets it and says to open the printed URL', async () => {
    const { url, stop } = await victim('stale');
    const page = await context.newPage();
    await page.goto(url.href);
    await page.getByTestId('node-stale').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('provisioning.token')")).not.toBeNull();
    // That launch ends (a later one would have a new token): the tab's key opens nothing any more.
    await stop();
    // Five refused opens with backoff: on a loaded machine each takes a while.
    await page.getByRole('alert').getByText('Open the exact URL that provisioning ui printed', { exact: false }).waitFor({ timeout: 90_000 });
    expect(await page.evaluate("sessionStorage.getItem('provisioning.token')")).toBeNull();
    await page.close();
  }, 150_000);

  it('keeps two UIs on two ports working in one browser, neither logging the other out', async () => {
    const [first, second] = [await victim('alpha'), await victim('beta')];
    const [one, two] = [await context.newPage(), await context.newPage()];
    await one.goto(first.url.href);
    await one.getByTestId('node-alpha').waitFor();
    await two.goto(second.url.href);
    await two.getByTestId('node-beta').waitFor();
    // Each reloads (a new WebSocket, the key from its own tab's storage) and still reaches its own engine.
    await one.reload();
    await one.getByTestId('node-alpha').waitFor();
    await two.reload();
    await two.getByTestId('node-beta').waitFor();
    expect(await one.getByTestId('node-beta').count()).toBe(0);
    expect(await two.getByTestId('node-alpha').count()).toBe(0);
  }, 60_000);
});
