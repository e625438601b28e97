/**
 * Remote services over real HTTPS: a server with a certificate from a CA made in the test, a bearer
 * token from an env reference that reaches the server and nothing else.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { harnesses, nodeService, waitFor } from '../support/engine-harness';
import { testCertificates } from '../support/test-ca';

const { open } = harnesses();
const TOKEN = 's3cret-token-value-9f2c';
let server: Server;
let port = 0;
let healthy = true;
let ca = '';

beforeAll(async () => {
  const certificates = testCertificates(tempDir());
  ca = certificates.ca;
  server = createServer({ key: certificates.key, cert: certificates.cert }, (request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end('who are you?');
    response.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down for maintenance');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const remote = (name: string, extra = '') =>
  `[services.${name}.deployment]\nmode = "remote"\nremote = { url = "https://127.0.0.1:${port}/health", tls = { ca_file = ${JSON.stringify(ca)} }${extra} }\n` +
  `[services.${name}.health_check]\ntype = "http"\ninterval = "100ms"\nretries = 1\nhttp = { url = "https://127.0.0.1:${port}/health" }\n`;

describe('remote mode', () => {
  it('is external while its check passes over TLS with the token, unhealthy when it fails, and back', async () => {
    const h = await open(remote('api', ', token = { env = "PCC_TEST_REMOTE_TOKEN" }'), { ...process.env, PCC_TEST_REMOTE_TOKEN: TOKEN });
    expect(h.engine.status()[0]).toMatchObject({ state: 'external', reason: `remote (https://127.0.0.1:${port}/health), not managed here: HTTP 200` });
    healthy = false;
    await waitFor(() => h.engine.status()[0]!.state === 'unhealthy');
    expect(h.engine.status()[0]!.reason).toBe(`remote (https://127.0.0.1:${port}/health), not managed here: its check fails: HTTP 503, expected 200-299`);
    healthy = true;
    await waitFor(() => h.engine.status()[0]!.state === 'external');
    // Start and stop do not act on it; a platform stop leaves it alone.
    expect((await h.engine.start('api')).state).toBe('external');
    expect((await h.engine.platformStop([])).steps).toEqual([
      {
        name: 'api',
        outcome: 'skipped',
        reason: 'runs elsewhere: not stopped from here',
        began: expect.any(Number) as number,
        ended: expect.any(Number) as number,
      },
    ]);
    // The token reached the server and nowhere else: not in any status, event or file of the home.
    const everything = JSON.stringify([h.engine.status(), h.events, h.engine.healthHistory('api')]);
    expect(everything).not.toContain(TOKEN);
    for (const file of readdirSync(h.home, { recursive: true }) as string[]) {
      try {
        expect(readFileSync(join(h.home, file), 'utf8')).not.toContain(TOKEN);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
      }
    }
  });

  it('is refused by the server without its token, and not trusted without its CA', async () => {
    const h = await open(remote('api'));
    expect(h.engine.status()[0]!.reason).toMatch(/its check fails: HTTP 401, expected 200-299$/);
    const untrusted = await open(`[services.web.deployment]\nmode = "remote"\nremote = { url = "https://127.0.0.1:${port}/" }\n`);
    expect(untrusted.engine.status()[0]!.reason).toMatch(/its check fails: TLS: certificate not trusted/);
  });

  it('counts as up for what depends on it: a local service starts after it', async () => {
    const text = `${remote('api', ', token = { env = "PCC_TEST_REMOTE_TOKEN" }')}${nodeService('worker', ['-e', 'setInterval(() => {}, 1000)'], 'dependencies = ["api"]')}`;
    const h = await open(text, { ...process.env, PCC_TEST_REMOTE_TOKEN: TOKEN });
    const report = await h.engine.platformStart(['worker']);
    expect(report.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['api', 'skipped'],
      ['worker', 'done'],
    ]);
    expect(h.engine.status()[1]!.state).toBe('healthy');
  });
});
