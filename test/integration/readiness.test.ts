/** Readiness report and `services check <operation>` through the CLI and its daemon. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portOwner } from '../../src-main/core/preflight/port-owners';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { freePort, nodeService, waitFor } from '../support/engine-harness';

const homes: Home[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  for (const h of homes.splice(0)) await h.cleanup();
});
const idle = ['-e', 'setInterval(() => {}, 1000)'];

describe('readiness and operation checks', () => {
  it('starts what an operation needs, with dependencies, only when asked', async () => {
    const h = privateHome(
      `${nodeService('db', idle)}${nodeService('api', idle, 'dependencies = ["db"]\nrequired_for = ["test"]')}${nodeService('other', idle)}`,
    );
    homes.push(h);
    const check = await h.run(['services', 'check', 'test', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toEqual({ operation: 'test', required: ['api'], running: [], missing: ['api'], started: [] });
    const started = await h.run(['services', 'check', 'test', '--auto-start', '--json']);
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ missing: [], started: ['db', 'api'] });
    expect(h.processes('other')).toEqual([]);
  });

  it('reports ready, would start and blocked, with reasons, and exits 1 when something is blocked', async () => {
    const port = await freePort();
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
    cleanups.push(() => holder.kill());
    await waitFor(() => portOwner(port));
    const h = privateHome(`${nodeService('db', idle)}${nodeService('api', idle, 'dependencies = ["db"]')}${nodeService('web', idle, `ports = [${port}]`)}`);
    homes.push(h);
    await h.run(['services', 'start', 'db']);
    const report = await h.run(['platform', 'health', '--json']);
    expect(report.code).toBe(1);
    expect(JSON.parse(report.stdout)).toEqual([
      { name: 'db', verdict: 'ready', reasons: [expect.stringMatching(/^running \(pid \d+\)$/)] },
      { name: 'api', verdict: 'would start', reasons: [] },
      {
        name: 'web',
        verdict: 'blocked',
        reasons: [expect.stringMatching(new RegExp(`^port ${port}/tcp is taken by pid ${holder.pid} `))],
        // An outside process of our own user: stopped only once a person confirms (port-holder-stop.test.ts).
        remedies: [expect.objectContaining({ action: 'stop-process', pid: holder.pid, port })],
      },
    ]);
  });

  it('starts nothing for an operation when any service it needs is blocked', async () => {
    const h = privateHome(
      `${nodeService('base', idle)}[services.broken]\ndependencies = ["base"]\nrequired_for = ["workflow"]\ndeployment = { mode = "binary", binary = { command = "no-such-tool" } }\n`,
    );
    homes.push(h);
    const result = await h.run(['services', 'check', 'workflow', '--auto-start', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      started: [],
      problem: 'broken is blocked: command not found: no-such-tool (not on PATH); needs base (stopped) first',
    });
    expect(h.processes('base')).toEqual([]);
  });

  it('keeps a history of check results, shown by status --json', async () => {
    const flag = join(tempDir(), 'up');
    writeFileSync(flag, 'up');
    const h = privateHome(
      `${nodeService('svc', idle)}[services.svc.health_check]\ntype = "file"\ninterval = "200ms"\ntimeout = "100ms"\nfile = { path = ${JSON.stringify(flag)} }\n`,
    );
    homes.push(h);
    expect((await h.run(['services', 'start', 'svc'])).code).toBe(0);
    // Asked until three checks ran (at 200 ms each, however slow the machine is), not after a fixed wait.
    const status = await waitFor(async () => {
      const now = JSON.parse((await h.run(['services', 'status', 'svc', '--json'])).stdout) as {
        health: { ok: boolean };
        history: { ok: boolean; latencyMs: number }[];
      };
      return now.history.length >= 3 && now;
    }, 30_000);
    expect(status.health.ok).toBe(true);
    expect(status.history.length).toBeGreaterThanOrEqual(3);
    expect(status.history.every((r) => r.ok && r.latencyMs >= 0)).toBe(true);
  });
});
