/** Preflight on real processes and ports: every problem at once, and nothing starts. */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, harnesses, nodeService, waitFor } from '../support/engine-harness';
import { portOwner } from '../../src-main/core/preflight/port-owners';
import { tempDir } from '../support/cli-run';

const { open } = harnesses();
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
const idle = ['-e', 'setInterval(() => {}, 1000)'];

describe('preflight', () => {
  it('names the pid and command that hold a port the service needs, starts nothing, and starts by itself once the port is free', async () => {
    const port = await freePort();
    const script = `require('http').createServer().listen(${port}, '127.0.0.1')`;
    const holder = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    cleanups.push(() => holder.kill());
    await waitFor(() => portOwner(port));
    const h = await open(nodeService('web', idle, `ports = [${port}]`));
    await expect(h.engine.start('web')).rejects.toThrow(
      `cannot start web:\n  - port ${port}/tcp is taken by pid ${holder.pid} (${process.execPath} -e ${script})`,
    );
    expect(h.processes('web')).toEqual([]);
    // Asked for, so it waits, saying why (desired-state.ts), and goes once the port is given back.
    expect(h.engine.status()[0]).toMatchObject({
      state: 'blocked',
      reason: `cannot start: port ${port}/tcp is taken by pid ${holder.pid} (${process.execPath} -e ${script})`,
    });
    holder.kill();
    const started = await waitFor(() => h.engine.status().find((s) => s.state === 'healthy'));
    expect(h.events.find((s) => s.state === 'starting')?.reason).toBe('what blocked it is cleared');
    expect(h.processes('web')).toEqual([started.pid]);
  });

  it('refuses while a conflicting registry service or outside process runs', async () => {
    const outside = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => outside.kill());
    const h = await open(`${nodeService('a', idle)}${nodeService('b', idle, 'conflicts = ["a", "sleep"]')}`);
    await h.engine.start('a');
    await expect(h.engine.start('b')).rejects.toThrow(
      new RegExp(`^cannot start b:\\n  - conflicts with 'a', which is healthy \\(pid \\d+\\)\\n  - conflicts with sleep, which is running \\(pid \\d+\\)$`),
    );
  });

  it('reports a missing command and a missing environment variable together', async () => {
    const text = '[services.x.deployment]\nmode = "binary"\nbinary = { command = "no-such-tool", env = { TOKEN = { env = "PCC_TEST_UNSET_TOKEN" } } }\n';
    const h = await open(text);
    await expect(h.engine.start('x')).rejects.toThrow(
      'cannot start x:\n  - command not found: no-such-tool (not on PATH)\n  - environment variable PCC_TEST_UNSET_TOKEN is not set (services.x.deployment.binary.env.TOKEN)',
    );
  });

  it('looks a command up on the PATH the service will get, skipping what is not executable', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'first'));
    mkdirSync(join(dir, 'second'));
    writeFileSync(join(dir, 'first', 'mysvc'), '#!/bin/sh\nexit 1\n'); // not executable: exec skips it
    writeFileSync(join(dir, 'second', 'mysvc'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(dir, 'second', 'mysvc'), 0o755);
    const path = `${join(dir, 'first')}:${join(dir, 'second')}:/usr/bin:/bin`;
    const h = await open(`[services.mine.deployment]\nmode = "binary"\nbinary = { command = "mysvc", env = { PATH = ${JSON.stringify(path)} } }\n`);
    expect((await h.engine.start('mine')).state).toBe('healthy');
  });
});
