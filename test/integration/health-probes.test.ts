/** Each probe type against real servers, files and commands, including how each one fails. */
import { utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry, type HealthCheck } from '@shared/model';
import { runProbe } from '../../src-main/core/health/run-probe';
import { identify } from '../../src-main/core/process/process-identity';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';
import { testCertificates } from '../support/test-ca';

const dir = tempDir('pcc-probes-');
const context = { home: dir, registryDir: dir, env: process.env, given: { HEALTH_TOKEN: 's3cret' } };

/** A health check as the registry would give it (defaults applied). */
function check(toml: string): HealthCheck {
  const { registry, issues } = parseRegistry(
    `[services.s]\ndeployment = { mode = "binary", binary = { command = "x" } }\n[services.s.health_check]\n${toml}\n`,
    'probe.toml',
  );
  if (!registry) throw new Error(issues.map((i) => i.message).join('; '));
  return registry.services[0]!.health_check!;
}

const servers: Server[] = [];
const listen = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
afterAll(() => servers.forEach((server) => server.close()));

/** How many /slow requests were answered: each only after 2 s. */
let slowAnswers = 0;

function app(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/slow') {
    return void setTimeout(() => {
      slowAnswers++;
      response.end('late');
    }, 2_000);
  }
  if (request.url === '/drip') {
    response.writeHead(200);
    const drip = setInterval(() => response.write('.'), 100);
    return void response.on('close', () => clearInterval(drip));
  }
  if (request.url === '/down') return void response.writeHead(503).end('down');
  if (request.url === '/auth') return void response.writeHead(request.headers.authorization === 'Bearer s3cret' ? 200 : 401).end();
  response.end('{"status":"ok"}');
}

describe('http probe', () => {
  let port = 0;
  beforeAll(async () => {
    port = await listen(createHttpServer(app));
  });
  // Probes that are answered get a hang guard of a timeout (a loaded machine can take over 500 ms to
  // answer); those that must time out get 500 ms, well before the server's 2 s answer.
  const http = (path: string, extra = '', timeout = '30s') =>
    check(`type = "http"\ntimeout = "${timeout}"\nhttp = { url = "http://127.0.0.1:${port}${path}"${extra} }`);

  it('passes on an expected status and body', async () => {
    expect(await runProbe(http('/health', ', body_contains = "ok"'), context)).toMatchObject({ ok: true, message: 'HTTP 200' });
  });

  it('fails on a wrong status, a missing body text, a slow answer and a refused connection', async () => {
    expect(await runProbe(http('/down'), context)).toMatchObject({ ok: false, message: 'HTTP 503, expected 200-299' });
    expect(await runProbe(http('/health', ', body_contains = "green"'), context)).toMatchObject({ ok: false, message: 'HTTP 200, body lacks "green"' });
    expect(await runProbe(http('/drip', ', body_contains = "ok"', '500ms'), context)).toMatchObject({ ok: false, message: 'no answer within 500ms' });
    // The probe's timer runs out before the server's 2 s one: it gives up at its timeout, not at the answer.
    const answered = slowAnswers;
    const slow = await runProbe(http('/slow', '', '500ms'), context);
    expect(slow).toMatchObject({ ok: false, message: 'no answer within 500ms' });
    expect(slowAnswers).toBe(answered);
    // libuv's timer clock is whole milliseconds, cached per loop turn: a timer may fire up to 1 ms before performance.now() says.
    expect(slow.latencyMs).toBeGreaterThanOrEqual(499);
    const closed = await listen(createTcpServer());
    servers.pop()!.close();
    expect(await runProbe(check(`type = "http"\nhttp = { url = "http://127.0.0.1:${closed}/" }`), context)).toMatchObject({
      ok: false,
      message: 'connection refused',
    });
  });

  it('sends headers whose values come from the environment', async () => {
    expect(await runProbe(http('/auth', ', headers = { authorization = "Bearer s3cret" }'), context)).toMatchObject({ ok: true });
    const fromEnv = check(`type = "http"\nhttp = { url = "http://127.0.0.1:${port}/auth", headers = { authorization = { env = "HEALTH_TOKEN" } } }`);
    expect(await runProbe(fromEnv, { ...context, given: { HEALTH_TOKEN: 'Bearer s3cret' } })).toMatchObject({ ok: true });
    expect(await runProbe(fromEnv, { ...context, given: {} })).toMatchObject({
      ok: false,
      message: 'header authorization: environment variable HEALTH_TOKEN is not set',
    });
  });
});

describe('https probe', () => {
  let port = 0;
  beforeAll(async () => {
    const { key, cert } = testCertificates(dir);
    port = await listen(createHttpsServer({ key, cert }, app));
  });

  it('rejects a certificate it cannot verify, accepts it with the CA, or when told to be insecure', async () => {
    const https = (tls: string) => check(`type = "http"\nhttp = { url = "https://127.0.0.1:${port}/health"${tls} }`);
    expect(await runProbe(https(''), context)).toMatchObject({ ok: false, message: expect.stringMatching(/^TLS: certificate not trusted/) });
    expect(await runProbe(https(', tls = { ca_file = "ca.pem" }'), context)).toMatchObject({ ok: true, message: 'HTTP 200' });
    expect(await runProbe(https(', tls = { insecure = true }'), context)).toMatchObject({ ok: true });
  });
});

describe('tcp probe', () => {
  it('passes when the port accepts, fails when refused', async () => {
    const port = await listen(createTcpServer((socket) => socket.end()));
    expect(await runProbe(check(`type = "tcp"\ntcp = { port = ${port} }`), context)).toMatchObject({ ok: true, message: `connected to 127.0.0.1:${port}` });
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runProbe(check(`type = "tcp"\ntcp = { port = ${port} }`), context)).toMatchObject({ ok: false, message: 'connection refused' });
  });
});

describe('command probe', () => {
  const node = JSON.stringify(process.execPath);
  it('passes on exit 0 with its output as the message, fails otherwise', async () => {
    expect(await runProbe(check(`type = "command"\ncommand = { command = ${node}, args = ["-e", "console.log('3 jobs queued')"] }`), context)).toMatchObject({
      ok: true,
      message: '3 jobs queued',
    });
    expect(
      await runProbe(check(`type = "command"\ncommand = { command = ${node}, args = ["-e", "console.error('db down'); process.exit(2)"] }`), context),
    ).toMatchObject({ ok: false, message: 'the check command failed with code 2: db down' });
    // Without output, a pass reads as the check's verdict, not as a process's exit.
    expect(await runProbe(check(`type = "command"\ncommand = { command = ${node}, args = ["-e", ""] }`), context)).toMatchObject({
      ok: true,
      message: 'the check command passed',
    });
  });

  it('decides on the exit even when a background child holds the output open, and ends that child', async () => {
    // The child holds the output for 30 s, past the timeout: a pass can only come from the shell's exit.
    const result = await runProbe(check(`type = "command"\ntimeout = "10s"\ncommand = { command = "sleep 30 & echo ready $!", shell = true }`), context);
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^ready \d+$/) });
    await waitFor(() => identify(Number(result.message.split(' ')[1])) === undefined);
  });

  it('kills a command that hangs, and its children, at the timeout', async () => {
    const script =
      "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000)";
    // 3 s: time enough on a loaded machine for node to start and print its child's pid before the kill.
    const result = await runProbe(
      check(`type = "command"\ntimeout = "3s"\ncommand = { command = ${node}, args = ["-e", ${JSON.stringify(script)}] }`),
      context,
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^no result within 3000ms; killed \(last output: \d+\)$/) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(2_999);
    const child = Number(/(\d+)\)$/.exec(result.message)![1]);
    await waitFor(() => identify(child) === undefined);
  });
});

describe('file probe', () => {
  it('fails while missing, passes once it appears, and fails when too old or lacking its text', async () => {
    const file = join(dir, 'ready');
    const ready = check(`type = "file"\nfile = { path = "ready", max_age = "5s", contains = "up" }`);
    expect(await runProbe(ready, context)).toMatchObject({ ok: false, message: `${file} does not exist` });
    setTimeout(() => writeFileSync(file, 'up\n'), 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await runProbe(ready, context)).toMatchObject({ ok: true });
    writeFileSync(file, 'starting\n');
    expect(await runProbe(ready, context)).toMatchObject({ ok: false, message: `${file} lacks "up"` });
    writeFileSync(file, 'up\n');
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(await runProbe(ready, context)).toMatchObject({ ok: false, message: expect.stringMatching(/is 1m old \(max 5s\)$/) });
  });
});
