/**
 * Usage of docker and docker-compose services (issue 17, item 8): CPU and memory from the engine's
 * stats API, in the same `usage` field and history as a binary service's, on the real local engine
 * (the local busybox image; nothing is pulled).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { tempDir } from '../support/cli-run';
import { harnesses, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import type { Harness } from '../support/engine-harness';

// A hang guard: container starts go through the runc wrapper, slow on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

const { open } = harnesses();
const tag = `${process.pid}-${Date.now() % 100000}`;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

/** A shell busy loop (one core) that also holds a few MiB in a variable; exits 0 on TERM. */
const BUSY = `trap 'exit 0' TERM; x=$(head -c 4000000 /dev/zero | tr '\\\\0' a); while :; do :; done`;

/** Waits for a sample that shows the loop: well over 20 % of a core and some memory, then checks the history agrees. */
async function busyUsage(h: Harness, name: string) {
  const status = await waitFor(() => {
    const now = h.engine.status().find((s) => s.name === name);
    return now?.usage && now.usage.cpuPercent > 20 && now.usage.memoryBytes > 0 ? now : undefined;
  }, 60_000);
  expect(h.engine.usageHistories(20)[name]?.at(-1)).toEqual(status.usage);
  return status;
}

describeWith('docker')('container usage', () => {
  it('a docker service shows the CPU and memory of its container while it runs, and none once stopped', async () => {
    const name = `pcc-usage-${tag}`;
    cleanups.push(() => execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' }));
    const h = await open(
      [
        `[services.${name}.deployment]`,
        'mode = "docker"',
        `docker = { image = "local/busybox:test", command = ["sh", "-c", ${JSON.stringify(BUSY)}] }`,
        `[services.${name}.startup]`,
        'stop_timeout = "3s"',
      ].join('\n'),
    );
    expect((await h.engine.start(name)).pid).toBeGreaterThan(0);
    const running = await busyUsage(h, name);
    expect(running.usage!.cpuPercent).toBeLessThan(150); // one shell loop: about one core, never the machine's sum
    const stopped = await h.engine.stop(name);
    expect(stopped.usage).toBeUndefined();
    await waitFor(() => h.engine.usageHistories(20)[name] === undefined); // gone at the next sample
  });

  it('a docker-compose service shows its container usage the same way', async () => {
    const dir = join(tempDir(), `pccusage${tag.replace('-', '')}`);
    mkdirSync(dir);
    const service = `cusage${tag.replace('-', '')}`;
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      // `$$`: Compose interpolates `$`.
      [
        'version: "2.4"',
        'services:',
        `  ${service}:`,
        '    image: local/busybox:test',
        `    command: ["sh", "-c", ${JSON.stringify(BUSY.replaceAll('$', '$$$$'))}]`,
        '',
      ].join('\n'),
    );
    cleanups.push(() => execFileSync('docker-compose', ['-p', dir.split('/').at(-1)!, '-f', file, 'down', '-t', '0'], { stdio: 'ignore' }));
    const h = await open(
      `[services.${service}.deployment]\nmode = "docker-compose"\n"docker-compose" = { file = ${JSON.stringify(file)} }\n[services.${service}.startup]\nstop_timeout = "3s"\n`,
    );
    await h.engine.start(service);
    await busyUsage(h, service);
    expect((await h.engine.stop(service)).usage).toBeUndefined();
  });
});
