/**
 * A command health check leaves nothing behind, not even a process that left its group and session
 * (setsid): each run carries its own marker, and what carries it is ended after the run. What sheds the
 * marker as well is out of reach until cgroups; the check's group is then killed only while its number
 * is still ours.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry, type HealthCheck } from '@shared/model';
import { runProbe } from '../../src-main/core/health/run-probe';
import { alive, harnesses, nodeService, waitFor } from '../support/engine-harness';
import { tempDir } from '../support/cli-run';

const dir = tempDir('pcc-check-leftovers-');
const context = { home: dir, registryDir: dir, env: process.env, given: {} };

function check(toml: string): HealthCheck {
  const { registry, issues } = parseRegistry(
    `[services.s]\ndeployment = { mode = "binary", binary = { command = "x" } }\n[services.s.health_check]\n${toml}\n`,
    'probe.toml',
  );
  if (!registry) throw new Error(issues.map((i) => i.message).join('; '));
  return registry.services[0]!.health_check!;
}

/**
 * Starts `sleep 1000` in a session of its own (node's detached: setsid before exec, and spawn returns
 * only once it has run) and prints its pid, then `rest` (JavaScript).
 */
const leaverToml = (rest: string, timeout = '2s') =>
  [
    'type = "command"',
    `timeout = "${timeout}"`,
    `command = { command = ${JSON.stringify(process.execPath)}, args = ["-e", ${JSON.stringify(
      `const c = require('child_process').spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' }); console.log(c.pid); ${rest}`,
    )}] }`,
  ].join('\n');
const leaver = (rest: string, timeout?: string) => check(leaverToml(rest, timeout));

/** The pid a run printed: the last number of its message. */
const leftPid = (message: string) => Number(/(\d+)\)?$/.exec(message)![1]);

const { open } = harnesses();

/**
 * A check whose group number goes to someone else once Node reaped it. The command (python) starts a
 * holder that leaves its group and session and sheds the marker (setsid, then exec with an empty
 * environment), keeping the check's output open, and exits. The holder waits until the command is
 * reaped, makes the kernel hand out the command's pid next (ns_last_pid, root only) to a process of
 * `nobody` that leads its own group, records `<group> <pid of that process>` in `out`, and exits.
 */
function reuserToml(out: string): string {
  const holder = [
    'import os, sys, time',
    'g, out = int(sys.argv[1]), sys.argv[2]',
    'for _ in range(100000):',
    "    if not os.path.exists(f'/proc/{g}'): break",
    '    time.sleep(0.0002)',
    "with open('/proc/sys/kernel/ns_last_pid', 'w') as f: f.write(str(g - 1))",
    'v = os.fork()',
    'if v == 0:',
    '    os.setsid(); os.setgid(65534); os.setuid(65534)',
    "    null = os.open('/dev/null', os.O_RDWR)",
    '    for fd in range(3): os.dup2(null, fd)',
    '    time.sleep(1000); os._exit(0)',
    "with open(out, 'w') as f: f.write(f'{g} {v}')",
  ].join('\n');
  const command = [
    'import os, sys',
    'g = os.getpid()',
    'if os.fork() == 0:',
    '    os.setsid()',
    `    os.execve(sys.executable, [sys.executable, '-c', ${JSON.stringify(holder)}, str(g), ${JSON.stringify(out)}], {})`,
  ].join('\n');
  return ['type = "command"', 'timeout = "10s"', `command = { command = "python3", args = ["-c", ${JSON.stringify(command)}] }`].join('\n');
}

/** Alive, and no SIGKILL pending for it (a kill is queued at once; the death may come later). */
function untouched(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const pending = ['SigPnd', 'ShdPnd'].map((name) => BigInt(`0x${new RegExp(`^${name}:\\s+([0-9a-f]+)`, 'm').exec(status)![1]}`));
  return !/^State:\s+[ZX]/m.test(status) && pending.every((mask) => (mask & 0x100n) === 0n);
}

describe('a command check', () => {
  it('ends a process that called setsid, after every run', async () => {
    const left: number[] = [];
    for (let run = 0; run < 5; run++) {
      const result = await runProbe(leaver('c.unref()'), context);
      expect(result).toMatchObject({ ok: true });
      left.push(leftPid(result.message));
    }
    expect(new Set(left).size).toBe(5);
    await waitFor(() => left.every((pid) => !alive(pid)), 5_000);
  });

  it('ends it at the timeout too', async () => {
    const result = await runProbe(leaver('setInterval(() => {}, 1000)', '400ms'), context);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^no result within 400ms; killed \(last output: \d+\)$/) });
    await waitFor(() => !alive(leftPid(result.message)), 5_000);
  });

  it.skipIf(process.getuid?.() !== 0)("never kills its group by number once it was reaped: the number may be another user's group", async () => {
    // The kernel hands the pid to the first fork after the write: another one on a busy machine may take it.
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = join(dir, `reuse-${attempt}`);
      expect(await runProbe(check(reuserToml(out)), context)).toMatchObject({ ok: true });
      const [group, reuser] = await waitFor(() => existsSync(out) && (readFileSync(out, 'utf8').split(' ').map(Number) as [number, number]));
      try {
        if (reuser !== group) continue;
        expect(untouched(reuser)).toBe(true);
        return;
      } finally {
        process.kill(reuser, 'SIGKILL');
      }
    }
    throw new Error('the kernel never handed the reaped pid to the holder');
  });

  it('leaves nothing behind a supervised service, once the service is stopped and its owner gone', async () => {
    const pids = join(dir, 'check-pids');
    const record = `require('fs').appendFileSync(${JSON.stringify(pids)}, c.pid + '\\n'); c.unref()`;
    const h = await open(
      `${nodeService('svc', ['-e', 'setInterval(() => {}, 1000)'])}[services.svc.health_check]\ninterval = "100ms"\n${leaverToml(record)}\n`,
    );
    await h.engine.start('svc');
    await waitFor(() => h.engine.healthHistory('svc').length >= 5);
    await h.engine.stop('svc');
    await h.engine.close();
    const left = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(left.length).toBeGreaterThanOrEqual(5);
    await waitFor(() => left.every((pid) => !alive(pid)), 5_000);
  });
});
