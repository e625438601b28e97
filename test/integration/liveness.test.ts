/**
 * Liveness (issue 17, item 6): with `health_check.on_unhealthy = "restart"`, a process that still
 * runs but stops answering its check is ended once `retries` checks in a row fail, and started again
 * by its restart policy, with its backoff; the default ("ignore") leaves it running, unhealthy.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tempDir } from '../support/cli-run';
import { alive, freePort, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open } = harnesses();

/** Answers 200 until `hang` exists; from then on takes every request and never answers (it keeps running). */
const server = `const [port, hang] = process.argv.slice(1);
require('http').createServer((req, res) => { if (!require('fs').existsSync(hang)) res.end('ok'); }).listen(Number(port), '127.0.0.1');`;

async function registry(onUnhealthy: string | undefined) {
  const port = await freePort();
  const hang = join(tempDir('pcc-liveness-'), 'hang');
  const text = [
    nodeService('api', ['-e', server, String(port), hang], '', 'timeout = "20s"\nrestart_delay = "300ms"\nrestart_delay_max = "5s"'),
    '[services.api.health_check]',
    'type = "http"',
    'interval = "200ms"',
    'timeout = "300ms"',
    'retries = 2',
    onUnhealthy ? `on_unhealthy = "${onUnhealthy}"` : '',
    `http = { url = "http://127.0.0.1:${port}/" }`,
    '',
  ].join('\n');
  return { text, hang };
}

describe('on_unhealthy', () => {
  it('"restart" ends a hung process once its retries are spent and starts it again with backoff', async () => {
    const { text, hang } = await registry('restart');
    const h = await open(text);
    const first = await h.engine.start('api');
    expect(first.state).toBe('healthy');
    writeFileSync(hang, '');
    const failed = await waitFor(() => h.events.find((s) => s.state === 'failed'));
    expect(failed.reason).toMatch(/^unhealthy, ended to restart: 2 checks in a row failed: .*; restarting in \d+ms$/);
    expect(failed.nextRetryAt).toBeGreaterThan(failed.since);
    expect(alive(first.pid!)).toBe(false);
    // Answering again, the new process is healthy: a new pid, one restart counted.
    rmSync(hang);
    const back = await waitFor(() => h.events.find((s) => s.state === 'healthy' && s.pid !== first.pid));
    expect(back.restarts).toBe(1);
    const states = h.events.map((s) => s.state);
    expect(states.slice(states.indexOf('unhealthy'))).toEqual(['unhealthy', 'failed', 'starting', 'healthy']);
    // The log says so, inline.
    const log = (await tailLog(logFiles(join(h.home, 'services', 'logs'), 'api'), 50)).map((l) => l.text);
    expect(log.some((line) => line.startsWith('unhealthy: 2 checks in a row failed'))).toBe(true);
    expect(log.some((line) => line.startsWith('failed: unhealthy, ended to restart'))).toBe(true);
  }, 60_000);

  it('"ignore" (the default) leaves the hung process running, unhealthy', async () => {
    const { text, hang } = await registry(undefined);
    const h = await open(text);
    const first = await h.engine.start('api');
    writeFileSync(hang, '');
    await waitFor(() => h.events.find((s) => s.state === 'unhealthy'));
    // Two more checks' worth of results: still the same process, never ended.
    const seen = h.engine.healthHistory('api').length;
    await waitFor(() => h.engine.healthHistory('api').length >= seen + 2);
    expect(h.engine.status()[0]).toMatchObject({ state: 'unhealthy', pid: first.pid });
    expect(alive(first.pid!)).toBe(true);
    expect(existsSync(hang)).toBe(true);
  }, 60_000);
});
