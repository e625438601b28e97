/**
 * The control center in a real browser: Debian's Chromium driven by playwright-core, against the
 * web host of a private home. Chromium's background networking is off (this machine's network is
 * closed) and every run gets a new profile.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateHome, type Home } from './cli-process';
import { DEMO, waitFor } from './engine-harness';
import { chromiumPath } from './engines';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'e2e');

/** The demo registry with absolute paths and its ports moved (so it can run beside the demo's own test). */
export function demoRegistryCopy(portBase: number): string {
  return readFileSync(join(process.cwd(), 'config', 'demo.toml'), 'utf8')
    .replaceAll('../platform/demo', DEMO)
    .replace(/\b470(\d)\b/g, (_, digit: string) => String(portBase + Number(digit)));
}

export interface ControlCenter {
  readonly home: Home;
  readonly page: Page;
  readonly url: URL;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openControlCenter(registryText: string, viewport = { width: 1440, height: 900 }): Promise<ControlCenter> {
  const home = privateHome(registryText);
  const ui = home.spawnPiped(['ui', '--no-open']);
  const url = new URL(await waitFor(() => /control center: (\S+)/.exec(ui.stdout())?.[1], 30_000));
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
      ui.child.kill('SIGINT');
      await ui.exited;
      await home.run(['platform', 'stop']);
      await home.cleanup();
      if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    },
  };
}
