/**
 * Two registries side by side, one user: each in a home of its own (PROVISIONING_HOME), each with
 * its own daemon. `daemon status` lists every home with a running owner — a stopped one leaves the
 * list, a killed one is dropped once its pid no longer names it — and asking a home's daemon for
 * another registry names the ways to choose (--config, another home, daemon stop).
 */
process.env['PROVISIONING_OWNERS_DIR'] = `${(await import('node:os')).tmpdir()}/pcc-owners-${process.pid}`;

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { privateHomes } from '../support/cli-process';
import { waitFor } from '../support/engine-harness';

const sleeper = (name: string) => `[services.${name}.deployment]\nmode = "binary"\nbinary = { command = "sleep", args = ["1000"] }\n`;
const homes = privateHomes('');
afterAll(() => homes.cleanup());

interface Status {
  running: boolean;
  pid?: number;
  homes: { home: string; registry: string; pid: number }[];
}

it('runs two registries side by side, lists both homes, and says how to choose when a home is asked for the other registry', async () => {
  const a = homes.create(sleeper('alpha'));
  const b = homes.create(sleeper('beta'));
  expect((await a.run(['services', 'start', 'alpha'])).code).toBe(0);
  expect((await b.run(['services', 'start', 'beta'])).code).toBe(0);

  const status = JSON.parse((await a.run(['daemon', 'status', '--json'])).stdout) as Status;
  const pidA = status.pid!;
  const pidB = (await b.daemonPid())!;
  expect(status.homes).toEqual(
    expect.arrayContaining([
      { home: realpathSync(a.home), registry: a.registry, pid: pidA },
      { home: realpathSync(b.home), registry: b.registry, pid: pidB },
    ]),
  );
  const text = (await a.run(['daemon', 'status'])).stdout;
  expect(text).toContain(`daemon pid ${pidA} owns ${realpathSync(a.home)}`);
  expect(text).toMatch(new RegExp(`other homes with a running owner[^\\n]*\\n[\\s\\S]*${realpathSync(b.home)}\\s+${b.registry}\\s+${pidB}`));

  // Home a asked for b's registry: refused, naming its registry, another home, and daemon stop.
  const wrong = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ['bin/provisioning.js', 'services', 'status'],
      { env: { ...process.env, PROVISIONING_HOME: a.home, PROVISIONING_CONFIG: b.registry, NO_COLOR: '1' } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    ),
  );
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toContain(`supervises ${a.registry}, not ${b.registry}`);
  expect(wrong.stderr).toContain(`--config ${a.registry}`);
  expect(wrong.stderr).toContain('PROVISIONING_HOME=<another folder>');
  expect(wrong.stderr).toContain('`provisioning daemon stop`');

  // A stopped owner withdraws its entry; a killed one is dropped when next listed.
  expect((await b.run(['daemon', 'stop'])).code).toBe(0);
  const afterStop = JSON.parse((await a.run(['daemon', 'status', '--json'])).stdout) as Status;
  expect(afterStop.homes.map((h) => h.home)).toEqual([realpathSync(a.home)]);
  process.kill(pidA, 'SIGKILL');
  await waitFor(() => {
    try {
      process.kill(pidA, 0);
      return false;
    } catch {
      return true;
    }
  });
  const dir = process.env['PROVISIONING_OWNERS_DIR']!;
  expect(readdirSync(dir)).toHaveLength(1); // the killed owner's entry is still there
  const afterKill = JSON.parse((await b.run(['daemon', 'status', '--json'])).stdout) as Status;
  expect(afterKill).toEqual({ running: false, homes: [] });
  expect(existsSync(dir) && readdirSync(dir)).toEqual([]);
});

it('lists past what does not belong in the index: a FIFO, a folder and an entry with control characters are never read or shown', async () => {
  const dir = process.env['PROVISIONING_OWNERS_DIR']!;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  execFileSync('mkfifo', [join(dir, 'fifo.json')]);
  mkdirSync(join(dir, 'folder.json'));
  writeFileSync(join(dir, 'evil.json'), JSON.stringify({ home: '/tmp/x\u001b[2J', registry: '/r', pid: process.pid, startTime: 'x' }));
  const h = homes.create(sleeper('gamma'));
  const status = await h.run(['daemon', 'status', '--json']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toEqual({ running: false, homes: [] });
  // The folder cannot be removed as an entry and stays; the stale FIFO and the bad entry are dropped.
  expect(readdirSync(dir)).toEqual(['folder.json']);
});
