/** Health checks driving service states on real processes: readiness, unhealthy and recovery, startup timeout. */
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnesses, nodeService, waitFor } from '../support/engine-harness';
import { tempDir } from '../support/cli-run';

const { open } = harnesses();
const idle = ['-e', 'setInterval(() => {}, 1000)'];

describe('health-checked services', () => {
  it('become healthy on the first check that passes, not before', async () => {
    // The check answers 503 three times, then 200: healthy must come from that first 200.
    const answers: number[] = [];
    const server = createServer((_, response) => {
      answers.push(answers.length < 3 ? 503 : 200);
      response.writeHead(answers.at(-1)!).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const text = `${nodeService('slow', idle)}[services.slow.health_check]\ntype = "http"\ninterval = "1h"\nhttp = { url = "http://127.0.0.1:${port}/health" }\n`;
    const h = await open(text);
    try {
      const status = await h.engine.start('slow');
      expect(status).toMatchObject({ state: 'healthy', health: { ok: true, message: 'HTTP 200' } });
      expect(status.reason).toMatch(/^HTTP 200 after \d+ms \(pid \d+\)$|^HTTP 200 after [\d.]+s \(pid \d+\)$/);
      expect(answers).toEqual([503, 503, 503, 200]);
      expect(h.events.map((s) => s.state)).toEqual(['starting', 'healthy']);
    } finally {
      server.close();
    }
  });

  it('turn unhealthy after `retries` failed checks and recover on the next success', async () => {
    const flag = join(tempDir(), 'up');
    writeFileSync(flag, 'up');
    const text = `${nodeService('svc', idle)}[services.svc.health_check]\ntype = "file"\ninterval = "150ms"\ntimeout = "100ms"\nretries = 2\nfile = { path = ${JSON.stringify(flag)} }\n`;
    const h = await open(text);
    expect((await h.engine.start('svc')).state).toBe('healthy');
    rmSync(flag);
    const unhealthy = await waitFor(() => h.events.find((s) => s.state === 'unhealthy'));
    expect(unhealthy.reason).toBe(`2 checks in a row failed: ${flag} does not exist`);
    writeFileSync(flag, 'up');
    const recovered = await waitFor(() => h.events.find((s) => s.state === 'healthy' && s.reason.startsWith('recovered')));
    expect(recovered.reason).toMatch(/^recovered: .* modified \d+ms ago$/);
    expect(h.events.map((s) => s.state)).toEqual(['starting', 'healthy', 'unhealthy', 'healthy']);
  });

  it('fail a start that is not healthy within the startup timeout, and end its process', async () => {
    const text = `${nodeService('never', idle, '', 'timeout = "800ms"\nrestart = "no"')}[services.never.health_check]\ntype = "tcp"\ntcp = { port = 1 }\n`;
    const h = await open(text);
    const status = await h.engine.start('never');
    expect(status).toMatchObject({ state: 'failed', reason: 'not healthy within 800ms: connection refused' });
    expect(h.processes('never')).toEqual([]);
  });
});

describe('degraded', () => {
  it('marks running dependents degraded while a dependency is unhealthy, and healthy when it recovers', async () => {
    const flag = join(tempDir(), 'up');
    writeFileSync(flag, 'up');
    const text = [
      `${nodeService('db', idle)}[services.db.health_check]\ntype = "file"\ninterval = "150ms"\ntimeout = "100ms"\nretries = 1\nfile = { path = ${JSON.stringify(flag)} }\n`,
      nodeService('api', idle, 'dependencies = ["db"]'),
      nodeService('web', idle, 'dependencies = ["api"]'),
    ].join('');
    const h = await open(text);
    for (const name of ['db', 'api', 'web']) await h.engine.start(name);
    rmSync(flag);
    await waitFor(() => h.engine.status().every((s) => s.state !== 'healthy'));
    const states = Object.fromEntries(h.engine.status().map((s) => [s.name, `${s.state}: ${s.reason}`]));
    expect(states['db']).toBe(`unhealthy: the check failed: ${flag} does not exist`);
    expect(states['api']).toBe(`degraded: dependency db is unhealthy: the check failed: ${flag} does not exist`);
    expect(states['web']).toMatch(/^degraded: dependency api is degraded: dependency db is unhealthy/);
    writeFileSync(flag, 'up');
    await waitFor(() => h.engine.status().every((s) => s.state === 'healthy'));
    expect(h.engine.status().find((s) => s.name === 'web')!.reason).toBe('its dependencies are healthy again');
    expect(h.engine.healthHistory('db').map((r) => r.ok)).toContain(false);
  });
});
