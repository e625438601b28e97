/**
 * The control center in a real browser: Debian's Chromium driven by playwright-core, against the
 * web host of a private home. Chromium's background networking is off (this machine's network is
 * closed) and every run gets a new profile.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { privateHome, type Home } from './cli-process';
import { waitFor } from './engine-harness';
import { chromiumPath } from './engines';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'e2e');

export interface ControlCenter {
  readonly home: Home;
  readonly page: Page;
  readonly url: URL;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a new profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** `provisioning ui` of a home, and the URL it printed (token in the fragment). */
export async function startUi(home: Home): Promise<{ url: URL; stop(): Promise<void> }> {
  const ui = home.spawnPiped(['ui', '--no-open']);
  const url = new URL(await waitFor(() => /control center: (\S+)/.exec(ui.stdout())?.[1], 30_000));
  return {
    url,
    stop: async () => {
      ui.child.kill('SIGINT');
      await ui.exited;
    },
  };
}

export async function openControlCenter(registryText: string, viewport = { width: 1440, height: 900 }): Promise<ControlCenter> {
  const home = privateHome(registryText);
  const ui = await startUi(home);
  const { url } = ui;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url.href);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    home,
    page,
    url,
    screenshot: async (name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: async () => {
      await browser.close();
      await ui.stop();
      await home.run(['platform', 'stop']);
      await home.cleanup();
      if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    },
  };
}
