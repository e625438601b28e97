/**
 * Terminals' bounds and hang-ups under races (issue 21 review): concurrent opens on one connection
 * cannot pass the 16-terminal limit (it is reserved before the open's await); input to a program
 * that does not read it is refused past about 1 MiB waiting; an open still under
 * way when all terminals are hung up (the setting turned off, the connection's end) ends up closed,
 * its program ended; the web host lets a page's socket open only once the owner answered ok to the
 * `sessionFace` request, else it refuses the upgrade saying why; a docker terminal's hang-up signals
 * the exec's pid here only when that process is in the container's cgroup — an engine in a VM or
 * another pid namespace reports pids that here are anyone's. Real daemon, real programs, real
 * sockets (the owners that misanswer, and that engine, are real servers on a Unix socket: an engine
 * in another pid namespace is not something this machine can run cheaply).
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Dockerode from 'dockerode';
import WebSocket from 'ws';
import { TERMINAL_LIMITS } from '../../src-shared/contract/terminal';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { HUNG_UP_WHILE_OPENING, MAX_TERMINALS, SessionTerminals } from '../../src-main/daemon/session-terminals';
import { openDockerExec } from '../../src-main/core/terminals/docker-exec';
import { openLocalTerminal } from '../../src-main/core/terminals/local-terminal';
import { startWebHost } from '../../src-main/web/web-host';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { alive, nodeService, waitFor } from '../support/engine-harness';
import { ownerOf } from '../support/home-client';

vi.setConfig({ testTimeout: 120_000 });

describe("a connection's terminal bounds", () => {
  let home: Home;
  beforeAll(async () => {
    home = privateHome(nodeService('shell', ['-e', 'setInterval(() => {}, 1000)']));
    const started = await home.run(['services', 'start', 'shell']);
    expect(started.code, started.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await home?.cleanup();
  });

  it(`lets at most ${MAX_TERMINALS} of 40 concurrent opens succeed, refusing the others saying why`, async () => {
    const client = await ownerOf(home);
    try {
      const opens = await Promise.allSettled(
        Array.from({ length: 40 }, () => client.call('terminalOpen', { service: 'shell', tty: false, cols: 80, rows: 24, cmd: ['sleep', '300'] })),
      );
      const opened = opens.filter((o) => o.status === 'fulfilled');
      const refused = opens.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
      expect(opened.length).toBeLessThanOrEqual(MAX_TERMINALS);
      expect(opened.length).toBeGreaterThan(0);
      expect(refused.length).toBe(40 - opened.length);
      expect(refused.every((message) => message.includes(`at most ${MAX_TERMINALS} terminals per connection`))).toBe(true);
    } finally {
      client.close();
    }
  });

  it('refuses input to a program that does not read it, saying why, once about 1 MiB waits for it (not queued in the owner without bound)', async () => {
    const client = await ownerOf(home);
    try {
      const { id } = await client.call('terminalOpen', { service: 'shell', tty: false, cols: 80, rows: 24, cmd: ['sleep', '300'] });
      const chunk = Buffer.alloc(TERMINAL_LIMITS.chunkBytes, 'x').toString('base64');
      let accepted = 0;
      let refusal: string | undefined;
      // 40 chunks are 2.5 MiB: far past the bound and the pipe's own buffer.
      for (let sent = 0; sent < 40 && refusal === undefined; sent++) {
        await client.call('terminalInput', { id, data: chunk }).then(
          () => accepted++,
          (error: Error) => (refusal = error.message),
        );
      }
      expect(refusal).toContain('the program is not reading its input');
      expect(accepted * TERMINAL_LIMITS.chunkBytes).toBeGreaterThan(1024 * 1024);
    } finally {
      client.close();
    }
  });
});

describe('an open under way when all terminals are hung up', () => {
  it('is closed once it opened (its program ends), and its open is refused saying why', async () => {
    const terminals = new SessionTerminals(
      () => undefined,
      () => 0,
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let printed = '';
    const opening = terminals.open(async (output) => {
      const program = await openLocalTerminal(
        { cwd: tempDir('pcc-term-limits-'), env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } },
        {
          cmd: ['sh', '-c', 'echo "PID=$$"; exec sleep 300'],
          tty: false,
          cols: 80,
          rows: 24,
          output: (data) => {
            printed += data.toString();
            output(data, 'stdout');
          },
        },
      );
      // Its program runs; the open has yet to finish (as while a driver's exec is answered).
      await gate;
      return program;
    });
    const outcome = opening.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    const pid = Number((await waitFor(() => /PID=(\d+)/.exec(printed) ?? undefined))[1]);
    // The setting turned off (or the connection ended) while the open was under way.
    terminals.closeAll();
    release();
    expect(await outcome).toBe(HUNG_UP_WHILE_OPENING);
    await waitFor(() => !alive(pid));
  });
});

describe("the web host's face declaration", () => {
  /** An owner on a Unix socket of its own that answers the first line it gets with `answer` (nothing when undefined). */
  async function owner(answer: string | undefined): Promise<{ path: string; server: Server }> {
    const path = join(tempDir('pcc-web-owner-'), 'owner.sock');
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => answer !== undefined && socket.write(`${answer}\n`));
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { path, server };
  }

  /** A page's WebSocket through a web host in front of that owner: open, or the refusal's status and text. */
  async function pageThrough(answer: string | undefined): Promise<{ opened: true } | { status: number; body: string }> {
    const root = tempDir('pcc-web-root-');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    const fake = await owner(answer);
    const host = await startWebHost({ root, port: 0, openOwner: async () => connectTo(fake.path) });
    try {
      const url = new URL(host.url);
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { headers: { origin: url.origin } });
      return await new Promise((resolve, reject) => {
        ws.once('open', () => {
          ws.close();
          resolve({ opened: true });
        });
        ws.once('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        ws.once('error', reject);
      });
    } finally {
      await host.close();
      fake.server.close();
    }
  }

  it('opens the page once the owner answered ok', async () => {
    expect(await pageThrough(JSON.stringify({ id: 0, ok: true, result: {} }))).toEqual({ opened: true });
  });

  it('refuses the upgrade when the owner refused it (an older owner), saying so', async () => {
    const refused = await pageThrough(JSON.stringify({ id: 0, ok: false, error: { name: 'ProtocolError', message: "unknown method 'sessionFace'" } }));
    expect(refused).toMatchObject({ status: 503 });
    expect((refused as { body: string }).body).toContain("the owner did not take this connection as the browser's (it answered: unknown method 'sessionFace')");
  });

  it('refuses the upgrade when the first line is not the answer, or none comes in time', async () => {
    const other = await pageThrough(JSON.stringify({ event: { seq: 1 } }));
    expect(other).toMatchObject({ status: 503 });
    expect((other as { body: string }).body).toContain('its first line was not the answer to sessionFace');
    const silent = await pageThrough(undefined);
    expect(silent).toMatchObject({ status: 503 });
    expect((silent as { body: string }).body).toContain('no answer in 5 s');
  });
});

function connectTo(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => resolve(socket)).once('error', reject);
  });
}

describe('a hang-up through an engine whose pids are not this machine’s', () => {
  /**
   * An engine API on a Unix socket whose exec reports the pid of `victim` (as an engine in a VM or
   * another pid namespace reports its own pids): exec create, start (hijacked), resize, inspect.
   */
  async function engineReporting(victim: number): Promise<{ path: string; server: HttpServer; execs: string[] }> {
    const path = join(tempDir('pcc-fake-engine-'), 'docker.sock');
    const execs: string[] = [];
    const container = 'a'.repeat(64);
    const server = createHttpServer((request, response) => {
      request.resume();
      const url = request.url ?? '';
      response.setHeader('content-type', 'application/json');
      if (request.method === 'POST' && /\/containers\/[^/]+\/exec$/.test(url)) {
        execs.push(url);
        return void response.writeHead(201).end(JSON.stringify({ Id: `exec${execs.length}` }));
      }
      if (/\/exec\/[^/]+\/json$/.test(url)) return void response.end(JSON.stringify({ Running: true, Pid: victim, ContainerID: container, ExitCode: null }));
      response.end('{}');
    });
    server.on('upgrade', (_request, socket: Socket) => {
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { path, server, execs };
  }

  it('leaves a local process with that pid alone, and says the program may still run in the container', async () => {
    const victim = spawn('sleep', ['300'], { stdio: 'ignore' });
    const engine = await engineReporting(victim.pid!);
    try {
      const terminal = await openDockerExec(new Dockerode({ socketPath: engine.path }), 'box', { tty: true, cols: 80, rows: 24, output: () => undefined });
      terminal.close();
      const end = await terminal.ended;
      expect(alive(victim.pid!)).toBe(true);
      expect(end.reason).toContain('the program may still run in the container');
      expect(victim.exitCode === null && victim.signalCode === null).toBe(true);
    } finally {
      victim.kill('SIGKILL');
      engine.server.close();
    }
  });
});
