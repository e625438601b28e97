/**
 * Another local user can put our markers in their own processes' environment. A manager running as
 * root can read every environment, so it must count only processes of its own uid: never adopt,
 * list or signal the forgery. Runs as root, with `nobody` as the other user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs, { readFileSync, realpathSync } from 'node:fs';
import { once } from 'node:events';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { managedProcesses, markers, OWNER_VARIABLE } from '../../src-main/core/process/managed-processes';
import { alive, DEMO, harness, harnesses, nodeService, waitFor } from '../support/engine-harness';
import { tempDir } from '../support/cli-run';

const { track } = harnesses();
const text = nodeService('api', [join(DEMO, 'service.mjs'), '--name', 'api'], '', 'restart = "no"');

const forgeries: ChildProcess[] = [];
afterEach(() => {
  for (const child of forgeries.splice(0)) child.kill('SIGKILL');
});

/** `sleep 1000` as nobody, in its own session, carrying our markers; resolves once it runs as sleep. */
async function forge(home: string, service: string, instance: string): Promise<number> {
  const env = Object.entries(markers(realpathSync(home), service, instance)).map(([key, value]) => `${key}=${value}`);
  const child = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env', ...env, 'sleep', '1000'], { detached: true, stdio: 'ignore' });
  forgeries.push(child);
  const pid = child.pid!;
  await waitFor(
    () => readFileSync(`/proc/${pid}/environ`, 'latin1').includes(env[0]!) && /^Uid:\s+65534\s/m.test(readFileSync(`/proc/${pid}/status`, 'latin1')),
  );
  return pid;
}

/**
 * A helper (python, root) that starts `sleep 1000` as nobody carrying `entry`, prints its pid, and on
 * SIGUSR1 kills and reaps it and makes the kernel hand that pid next (ns_last_pid) to a root process of
 * its own, then writes `<forged pid> <new pid>` to `out`.
 */
const SWAPPER = [
  'import os, signal, sys, time',
  'entry, out = sys.argv[1], sys.argv[2]',
  'f = os.fork()',
  'if f == 0:',
  '    os.setsid(); os.setgid(65534); os.setuid(65534)',
  "    os.execve('/bin/sleep', ['sleep', '1000'], dict([entry.split('=', 1)]))",
  'def swap(*_):',
  '    os.kill(f, signal.SIGKILL); os.waitpid(f, 0)',
  '    time.sleep(0.02)  # a later start time (clock ticks are 10 ms)',
  "    with open('/proc/sys/kernel/ns_last_pid', 'w') as w: w.write(str(f - 1))",
  '    r = os.fork()',
  '    if r == 0:',
  '        os.setsid(); time.sleep(1000); os._exit(0)',
  "    with open(out + '.tmp', 'w') as w: w.write(f'{f} {r}')",
  '    os.rename(out + ".tmp", out)',
  'signal.signal(signal.SIGUSR1, swap)',
  'print(f, flush=True)',
  'while True: signal.pause()',
].join('\n');

/**
 * Runs `scan` while, right after it read the environment of `pid`, that process is replaced by `swap`
 * (synchronously: the scan is one synchronous pass). The hook only orders real events on real /proc.
 */
function scanWhileSwapped<T>(pid: number, swap: () => void, scan: () => T): T {
  const read = fs.readFileSync;
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, options?: never) => {
    const text = read(path, options);
    if (path === `/proc/${pid}/environ`) swap();
    return text;
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    return scan();
  } finally {
    fs.readFileSync = read;
    syncBuiltinESMExports();
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe.skipIf(process.getuid?.() !== 0)("another user's processes carrying our markers", () => {
  it('are not taken for ours when the pid goes to a process of ours between the reads of one scan', async () => {
    const home = realpathSync(tempDir('pcc-foreign-'));
    const entry = `${OWNER_VARIABLE}=${home}`;
    // The kernel hands the pid to the first fork after the write: another one on a busy machine may take it.
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = join(home, `swap-${attempt}`);
      const helper = spawn('python3', ['-c', SWAPPER, entry, out], { stdio: ['ignore', 'pipe', 'ignore'] });
      forgeries.push(helper);
      const forged = Number((await once(helper.stdout, 'data'))[0]);
      await waitFor(
        () => readFileSync(`/proc/${forged}/environ`, 'latin1').includes(entry) && /^Uid:\s+65534\s/m.test(readFileSync(`/proc/${forged}/status`, 'latin1')),
      );
      const swap = () => {
        process.kill(helper.pid!, 'SIGUSR1');
        for (let wait = 0; wait < 10_000 && !fs.existsSync(out); wait++) pause(1);
      };
      const found = scanWhileSwapped(forged, swap, () => managedProcesses(home));
      const [, successor] = readFileSync(out, 'utf8').split(' ').map(Number);
      process.kill(successor!, 'SIGKILL');
      if (successor !== forged) continue;
      expect(found).toEqual([]);
      return;
    }
    throw new Error('the kernel never handed the forged pid to the helper');
  });

  it('are not adopted: the real service starts, and stopping it never signals them', async () => {
    const home = tempDir('pcc-foreign-');
    const forged = await forge(home, 'api', 'api-forged');
    const h = track(await harness(text, home));
    expect(h.engine.status()[0]).toMatchObject({ state: 'stopped' });
    const started = await h.engine.start('api');
    expect(started.pid).not.toBe(forged);
    expect(h.processes('api')).toEqual([started.pid]);
    // Even one naming the real instance (read from the state file) is not one of its processes.
    const { instance } = JSON.parse(readFileSync(join(home, 'services', 'state', 'api.json'), 'utf8')).process;
    const twin = await forge(home, 'api', instance);
    expect(await h.engine.stop('api')).toMatchObject({ state: 'stopped' });
    expect(alive(started.pid!)).toBe(false);
    expect([forged, twin].filter(alive)).toEqual([forged, twin]);
  });

  it('are not adopted after an owner restart either: the recorded process is', async () => {
    const home = tempDir('pcc-foreign-');
    const first = await harness(text, home);
    const started = await first.engine.start('api');
    await first.engine.close();
    const forged = await forge(home, 'api', 'api-forged');
    const second = track(await first.reopen());
    expect(second.engine.status()[0]).toMatchObject({ state: 'healthy', reason: `adopted (pid ${started.pid})` });
    expect(alive(forged)).toBe(true);
  });

  it('make no ghost external service, and cannot be stopped by name', async () => {
    const home = tempDir('pcc-foreign-');
    const forged = await forge(home, 'ghost', 'ghost-1');
    const h = track(await harness(text, home));
    expect(h.engine.status().map((s) => s.name)).toEqual(['api']);
    expect(h.engine.anyActive()).toBe(false);
    await expect(h.engine.stop('ghost')).rejects.toThrow(/unknown service 'ghost'/);
    expect(alive(forged)).toBe(true);
  });
});
