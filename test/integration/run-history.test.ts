/**
 * What one run of a service carries over to the next, on real processes: an adopted service's first
 * failed check is the first of `retries`, not a verdict; a failed start quotes only its own run's
 * lines; the restart count goes back to 0 once a run has lasted `start_limit_window`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { freePort, harness, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open, track } = harnesses();

describe('run history', () => {
  it('an adopted service whose first check fails stays healthy (1 of `retries`) and a platform start of it succeeds', async () => {
    const port = await freePort();
    const flag = join(tempDir('pcc-flag-'), 'fail-once');
    const check = [
      '[services.web.health_check]',
      'type = "command"',
      'interval = "1h"',
      'retries = 3',
      // Fails once while the flag exists (and removes it): the one slow answer of an owner change.
      `command = { command = ${JSON.stringify(`[ ! -e '${flag}' ] || { rm '${flag}'; exit 1; }`)}, shell = true }`,
    ].join('\n');
    const text = nodeService('web', ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`]) + check + '\n';
    const first = await harness(text);
    const started = await first.engine.start('web');
    expect(started.state).toBe('healthy');
    await first.engine.close();
    writeFileSync(flag, '');

    const second = track(await first.reopen());
    expect(existsSync(flag)).toBe(false); // the adoption's check ran and failed
    const adopted = second.engine.status().find((s) => s.name === 'web')!;
    expect(adopted).toMatchObject({ state: 'healthy', pid: started.pid });
    expect(adopted.reason).toMatch(/^adopted \(pid \d+\); its first check failed \(1 of 3 in a row before it is unhealthy\)/);
    expect(second.events.filter((s) => s.name === 'web').map((s) => s.state)).not.toContain('unhealthy');
    const report = await second.engine.platformStart(['web']);
    expect(report.steps.find((s) => s.name === 'web')?.outcome).not.toBe('failed');
  });

  it("a failed start quotes its own run's lines only, never the previous run's", async () => {
    const flag = join(tempDir('pcc-flag-'), 'ran');
    // The first run says something and fails; the second fails silently.
    const script = `const fs = require('fs'); if (!fs.existsSync(${JSON.stringify(flag)})) { fs.writeFileSync(${JSON.stringify(flag)}, ''); console.log('first run: cannot open the database'); setTimeout(() => process.exit(1), 200); } else setTimeout(() => process.exit(2), 200);`;
    const h = await open(nodeService('job', ['-e', script], '', 'restart = "no"'));
    const one = await h.engine.start('job');
    expect(one).toMatchObject({ state: 'failed', lastExit: { code: 1 } });
    expect(one.logTail).toEqual(['first run: cannot open the database']);
    const two = await h.engine.start('job');
    expect(two).toMatchObject({ state: 'failed', lastExit: { code: 2 } });
    expect(two.logTail).toEqual([]);
  });

  it('the restart count goes back to 0 once a run has lasted start_limit_window', async () => {
    const flag = join(tempDir('pcc-flag-'), 'crashed');
    // Crashes once right after starting; the restart then runs on.
    const script = `const fs = require('fs'); if (!fs.existsSync(${JSON.stringify(flag)})) { fs.writeFileSync(${JSON.stringify(flag)}, ''); setTimeout(() => process.exit(1), 700); } else setInterval(() => {}, 1000);`;
    const h = await open(nodeService('app', ['-e', script], '', 'restart = "on-failure"\nrestart_delay = "100ms"\nstart_limit_window = "2s"'));
    await h.engine.start('app');
    const restarted = await waitFor(() => h.events.find((s) => s.name === 'app' && s.state === 'healthy' && s.restarts === 1));
    const reset = await waitFor(() => h.events.find((s) => s.name === 'app' && s.restarts === 0 && h.events.indexOf(s) > h.events.indexOf(restarted)));
    expect(reset).toMatchObject({ state: 'healthy', pid: restarted.pid });
    expect(h.engine.status().find((s) => s.name === 'app')).toMatchObject({ restarts: 0, pid: restarted.pid });
  });
});
