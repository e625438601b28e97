/**
 * Terminals in a service's detail view, in Debian's Chromium through `provisioning ui` (issue 21):
 * with the setting on (changed by the CLI, as the page cannot), a terminal into a docker service
 * runs `echo $HOSTNAME` and shows the container's hostname; a binary service's terminal sees its
 * env (its registry env table and an env file); making the pane taller and wider changes `stty
 * size`; an `interactive = true` service is attached to from its detail view, answers what is typed,
 * and runs on after the pane is closed. Screenshots land in test-artifacts/e2e/.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openControlCenter, type ControlCenter } from '../support/browser';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const box = `pcc-e2e-term-${process.pid}`;
const envFile = join(tempDir('pcc-e2e-env-'), 'terminal.env');
writeFileSync(envFile, 'FROM_FILE=file-value\n');
const REGISTRY = [
  `env_files = [${JSON.stringify(envFile)}]`,
  '[services.shell.deployment]',
  'mode = "binary"',
  `binary = { command = ${JSON.stringify(process.execPath)}, args = ["-e", "setInterval(() => {}, 1000)"], env = { FROM_TABLE = "table-value" } }`,
  '[services.repl]',
  'interactive = true',
  '[services.repl.deployment]',
  'mode = "binary"',
  `binary = { command = "sh", args = ["-c", "[ -t 0 ] && echo tty:yes; while read line; do echo got:$line; done"] }`,
  `[services.${box}.deployment]`,
  'mode = "docker"',
  `docker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"] }`,
  `[services.${box}.startup]`,
  'stop_timeout = "2s"',
  '',
].join('\n');

let center: ControlCenter;

/** Opens the service's detail and a terminal in it; the terminal's screen. */
async function openTerminal(page: Page, name: string) {
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('radio', { name: 'Cards' }).check();
  await page.getByRole('button', { name: `Details of ${name}` }).click();
  const detail = page.getByTestId('service-detail');
  await detail.getByRole('button', { name: `Open a terminal in ${name}` }).click();
  const screen = detail.getByTestId('terminal-screen');
  await screen.locator('.xterm-rows').waitFor();
  return { detail, screen, text: () => screen.locator('.xterm-rows').innerText() };
}

describeWith('chromium')('terminals in the detail view', () => {
  beforeAll(async () => {
    center = await openControlCenter(REGISTRY);
    expect((await center.home.run(['settings', 'web-terminals', 'on'])).code).toBe(0);
    for (const name of ['shell', 'repl', box]) expect((await center.home.run(['services', 'start', name])).code).toBe(0);
  }, 120_000);
  // A test that failed half-way leaves its detail open over the tabs: the next one starts from the view.
  afterEach(async () => {
    const detail = center.page.getByTestId('service-detail');
    if (await detail.isVisible()) {
      await detail.getByRole('button', { name: 'Back (Escape)' }).click();
      await detail.waitFor({ state: 'hidden' });
    }
  });

  afterAll(async () => {
    await center?.close();
    execFileSync('docker', ['rm', '-f', box], { stdio: 'ignore' });
  }, 60_000);

  it("a terminal into a docker service runs `echo $HOSTNAME` and shows the container's hostname", async () => {
    const { page } = center;
    const id = execFileSync('docker', ['inspect', '-f', '{{.Id}}', box], { encoding: 'utf8' }).trim();
    const t = await openTerminal(page, box);
    await page.keyboard.type('echo "host=$HOSTNAME"\n');
    await expect.poll(t.text, { timeout: 20_000 }).toContain(`host=${id.slice(0, 12)}`);
    await center.screenshot('terminal-docker-hostname');
    await t.detail.getByRole('button', { name: `Close the terminal in ${box}` }).click();
    await page.keyboard.press('Escape');
    await t.detail.waitFor({ state: 'hidden' });
  });

  it("a binary service's terminal sees its env, and resizing the pane changes `stty size`", async () => {
    const { page } = center;
    const t = await openTerminal(page, 'shell');
    await page.keyboard.type('echo "env=$FROM_TABLE/$FROM_FILE"; stty size\n');
    await expect.poll(t.text, { timeout: 20_000 }).toContain('env=table-value/file-value');
    const size = async () => {
      const found = [...(await t.text()).matchAll(/^(\d+) (\d+)$/gm)].at(-1);
      return found ? `${found[1]} ${found[2]}` : undefined;
    };
    const before = await waitFor(size, 10_000);
    // The pane made taller: the fit addon gives the program more rows.
    await t.screen.evaluate((element) => (element.style.height = `${element.clientHeight + 200}px`));
    await page.keyboard.type('clear; stty size\n');
    await expect.poll(size, { timeout: 20_000 }).not.toBe(before);
    const [rowsBefore, colsBefore] = before.split(' ').map(Number);
    const [rowsAfter, colsAfter] = (await size())!.split(' ').map(Number);
    expect(rowsAfter).toBeGreaterThan(rowsBefore!);
    expect(colsAfter).toBe(colsBefore);
    await center.screenshot('terminal-binary-env-resized');
    await t.detail.getByRole('button', { name: 'Close the terminal in shell' }).click();
    await page.keyboard.press('Escape');
    await t.detail.waitFor({ state: 'hidden' });
  });

  it('attaches to an interactive service from its detail view: typed lines reach it, and it runs on once detached', async () => {
    const { page } = center;
    const before = JSON.parse((await center.home.run(['services', 'status', 'repl', '--json'])).stdout) as { pid: number };
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('radio', { name: 'Cards' }).check();
    await page.getByRole('button', { name: 'Details of repl' }).click();
    const detail = page.getByTestId('service-detail');
    await detail.getByRole('button', { name: "Attach to repl's terminal" }).click();
    const screen = detail.getByTestId('terminal-screen');
    await screen.locator('.xterm-rows').waitFor();
    const text = () => screen.locator('.xterm-rows').innerText();
    // Its scrollback first (it has a terminal of its own), then the answer to what is typed.
    await expect.poll(text, { timeout: 20_000 }).toContain('tty:yes');
    await page.keyboard.type('hello\n');
    await expect.poll(text, { timeout: 20_000 }).toContain('got:hello');
    await center.screenshot('terminal-attach-interactive');
    await detail.getByRole('button', { name: 'Close the terminal in repl' }).click();
    await page.keyboard.press('Escape');
    const after = JSON.parse((await center.home.run(['services', 'status', 'repl', '--json'])).stdout) as { pid: number; state: string };
    expect(after).toMatchObject({ pid: before.pid, state: expect.stringMatching(/^(running|healthy)$/) });
  });
});
