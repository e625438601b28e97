/**
 * `interactive = true` binary services, as real processes through the real CLI and daemon: the
 * service runs on a terminal (its pty shim holds the master, so the terminal outlives the daemon),
 * `services attach` types into it and reads it (over pipes, and on a terminal of its own with
 * resize and the detach key), its output reaches `services logs`, and a SIGKILLed daemon's
 * successor adopts it and attaches to the same process. Stop leaves neither the service nor its shim.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as nodePty from 'node-pty';
import { parseRegistry } from '../../src-shared/model';
import { privateHomes, type Home } from '../support/cli-process';
import { alive, waitFor } from '../support/engine-harness';

/** Says whether its stdin is a terminal, then answers each line with it and the terminal's size. */
const SCRIPT = '[ -t 0 ] && echo tty:yes || echo tty:no; while read l; do echo got:$l; stty size; done';
const registry = [
  '[services.repl]',
  'interactive = true',
  '[services.repl.deployment]',
  'mode = "binary"',
  `binary = { command = "/bin/sh", args = ["-c", ${JSON.stringify(SCRIPT)}] }`,
  '',
].join('\n');

const homes = privateHomes(registry);
afterEach(async () => {
  await homes.cleanup();
});

const cliPath = join(process.cwd(), 'bin', 'provisioning.js');
const envOf = (h: Home) => ({
  ...process.env,
  PROVISIONING_HOME: h.home,
  PROVISIONING_CONFIG: h.registry,
  PROVISIONING_OWNERS_DIR: join(h.home, 'owners-index'),
  NO_COLOR: '1',
});
const status = async (h: Home) => JSON.parse((await h.run(['services', 'status', 'repl', '--json'])).stdout) as { state: string; pid?: number; reason: string };

/** `services attach` over pipes: types `line`, waits for the answer, ends its stdin, and gives all it printed and its exit code. */
async function attachAndSay(h: Home, line: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, 'services', 'attach', 'repl'], { env: envOf(h), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.write(`${line}\n`);
  await waitFor(() => stdout.includes(`got:${line}\r\n`) || (child.exitCode !== null && Promise.reject(new Error(`attach ended: ${stderr}`))));
  child.stdin.end();
  return { code: await exited, stdout, stderr };
}

/** Pids of this home's pty shims (their command line names the home's socket folder). */
const shimsOf = (h: Home): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.some((word) => word.endsWith('pty-shim.js')) && argv.some((word) => word.startsWith(join(h.home, 'services', 'pty')));
      } catch {
        return false;
      }
    })
    .map(Number);

describe('interactive binary services', () => {
  it('runs on a terminal; attach types a line and reads the answer, which also reaches its log; attach and detach are lifecycle lines', async () => {
    const h = homes.create();
    expect((await h.run(['services', 'start', 'repl'])).code).toBe(0);
    const { pid } = await status(h);
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[4]).not.toBe('0'); // tty_nr: it has a controlling terminal
    const attached = await attachAndSay(h, 'hello');
    expect(attached.code).toBe(0);
    // Its output before the attach is replayed, then the answer; the terminal echoes what was typed.
    expect(attached.stdout).toMatch(/tty:yes\r\n[^]*hello\r\ngot:hello\r\n\d+ \d+\r\n/);
    const logs = await waitFor(async () => {
      const { stdout } = await h.run(['services', 'logs', 'repl', '-n', '50']);
      return /── detached by cli \(pipes\)/.test(stdout) && stdout;
    });
    const order = ['tty:yes', '── attached by cli (pipes)', 'got:hello', '── detached by cli (pipes)'].map((text) => logs.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('keeps running when the daemon is SIGKILLed; the next owner adopts the same process and attaches to it again; stop ends it and its shim', async () => {
    const h = homes.create();
    await h.run(['services', 'start', 'repl']);
    const before = await status(h);
    expect((await attachAndSay(h, 'first')).code).toBe(0);
    const shims = shimsOf(h);
    expect(shims).toHaveLength(1);
    process.kill((await h.daemonPid())!, 'SIGKILL');
    const after = await status(h);
    expect(after).toMatchObject({ state: 'healthy', pid: before.pid, reason: `adopted (pid ${before.pid})` });
    const again = await attachAndSay(h, 'second');
    expect(again.code).toBe(0);
    // The same terminal: what the service printed for the first attach is in its scrollback.
    expect(again.stdout).toMatch(/got:first\r\n[^]*got:second\r\n/);
    expect((await h.run(['services', 'stop', 'repl'])).code).toBe(0);
    expect(alive(before.pid!)).toBe(false);
    await waitFor(() => shims.every((shim) => !alive(shim)));
    expect(readdirSync(join(h.home, 'services', 'pty'))).toEqual([]);
    const gone = await h.run(['services', 'attach', 'repl']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/repl/);
  });

  it('on a terminal of its own: raw keys, the window size followed (stty size inside), Ctrl-] detaches and the service runs on', async () => {
    const h = homes.create();
    await h.run(['services', 'start', 'repl']);
    const { pid } = await status(h);
    const term = nodePty.spawn(process.execPath, [cliPath, 'services', 'attach', 'repl'], { cols: 100, rows: 30, env: envOf(h), name: 'xterm' });
    let screen = '';
    term.onData((data) => (screen += data));
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    await waitFor(() => screen.includes('Ctrl-] detaches'));
    /** Types a line until the answer carries `size` (a resize and a keystroke race to the owner; bounded). */
    const sizeSeen = async (size: string) => {
      for (let i = 0; i < 50; i++) {
        const mark = `m${i}${size.replace(' ', 'x')}`;
        term.write(`${mark}\r`);
        // This terminal is in raw mode for input; its output still turns each \n into \r\n (libuv keeps ONLCR): \r\r\n.
        const answer = await waitFor(() => new RegExp(`got:${mark}\\r+\\n(\\d+ \\d+)\\r+\\n`).exec(screen)?.[1]);
        if (answer === size) return true;
      }
      return false;
    };
    expect(await sizeSeen('30 100')).toBe(true);
    term.resize(132, 40);
    expect(await sizeSeen('40 132')).toBe(true);
    term.write('\x1d');
    expect(await exited).toBe(0);
    expect(screen).toMatch(/detached from repl/);
    expect(await status(h)).toMatchObject({ state: 'healthy', pid });
  });

  it('is refused on a service that is not binary, at its key', () => {
    const text = ['[services.web]', 'interactive = true', '[services.web.deployment]', 'mode = "docker"', 'docker = { image = "local/busybox:test" }', ''].join(
      '\n',
    );
    const { issues } = parseRegistry(text, 'services.toml');
    expect(issues).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        line: 2,
        path: ['services', 'web', 'interactive'],
        message: expect.stringMatching(/^only binary services run on a terminal/),
      }),
    );
  });
});
