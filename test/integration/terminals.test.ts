/**
 * Terminals into services (issue 21), through the real CLI and daemon: `services exec` in a binary
 * service sees its environment (the registry's env table, an env file, an env reference) in its
 * working directory and passes the exit code; a terminal (PTY) follows resize, Ctrl-C interrupts
 * a `sleep` and the shell goes on; closing the connection ends the shell; every session is a
 * lifecycle line in the service's log and an entry in the timeline. In a docker service (the local
 * busybox image), `echo $HOSTNAME` prints the container's id prefix, and a hang-up ends the exec's
 * shell in the container. Through the web host, a terminal is refused while the setting is off, the
 * page cannot turn it on, and it opens once the CLI turned it on.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { base64ToBytes, textToBase64 } from '../../src-shared/contract/terminal';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { alive, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { ownerOf } from '../support/home-client';

vi.setConfig({ testTimeout: 120_000 });

const tag = `${process.pid}-${Date.now() % 100000}`;
const box = `pcc-term-${tag}`;
const hasDocker = (() => {
  try {
    execFileSync('docker', ['image', 'inspect', 'local/busybox:test'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const workDir = realpathSync(tempDir('pcc-term-cwd-'));
/** A compose service (busybox, nothing built): its terminal is `docker exec` in the container Compose runs. */
const composeService = `cbox${tag.replace(/[^a-z0-9]/gi, '')}`.toLowerCase();
const composeFile = join(tempDir('pcc-term-compose-'), 'compose.yaml');
const composeContainers = () =>
  execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.service=${composeService}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
let home: Home;

beforeAll(async () => {
  process.env['PCC_TERM_REFERENCE'] = 'from-the-caller';
  home = privateHome(
    [
      'env_files = [".env"]',
      '[services.shell.deployment]',
      'mode = "binary"',
      `binary = { command = ${JSON.stringify(process.execPath)}, args = ["-e", "setInterval(() => {}, 1000)"], cwd = ${JSON.stringify(workDir)}, env = { FROM_TABLE = "table-value", FROM_REFERENCE = { env = "PCC_TERM_REFERENCE" } } }`,
      ...(hasDocker
        ? [
            `[services.${box}.deployment]`,
            'mode = "docker"',
            `docker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"] }`,
            `[services.${box}.startup]`,
            'stop_timeout = "2s"',
            `[services.${composeService}.deployment]`,
            'mode = "docker-compose"',
            `"docker-compose" = { file = ${JSON.stringify(composeFile)} }`,
            `[services.${composeService}.startup]`,
            'stop_timeout = "2s"',
          ]
        : []),
      '',
    ].join('\n'),
  );
  writeFileSync(join(dirname(home.registry), '.env'), 'FROM_FILE=file-value\n');
  writeFileSync(
    composeFile,
    [
      'version: "2.4"',
      'services:',
      `  ${composeService}:`,
      '    image: local/busybox:test',
      `    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`,
      '',
    ].join('\n'),
  );
  const started = await home.run(['services', 'start', 'shell']);
  expect(started.code, started.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  // The owner first: while it runs, its restart policy makes again a container removed under it.
  await home?.cleanup();
  if (hasDocker) execFileSync('docker', ['rm', '-f', box, ...composeContainers()], { stdio: 'ignore' });
});

/** `services exec` with `input` on its stdin (a pipe: not a terminal). */
function exec(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, PROVISIONING_HOME: home.home, PROVISIONING_CONFIG: home.registry, NO_COLOR: '1' };
  const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'provisioning.js'), 'services', 'exec', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A terminal (a PTY) opened over a contract connection of its own, its output kept as text. */
async function terminal(service: string, cols = 80, rows = 24) {
  const client: OwnerClient = await ownerOf(home);
  let output = '';
  let exit: { code: number | null; signal: string | null } | undefined;
  client.onTerminal((o) => (output += Buffer.from(base64ToBytes(o.data)).toString()));
  client.onTerminalExit((e) => (exit = e));
  const { id } = await client.call('terminalOpen', { service, cols, rows });
  const type = (text: string) => client.call('terminalInput', { id, data: textToBase64(text) });
  /** Waits for a line the shell prints (a computed one, so the echo of what was typed does not match). */
  const see = (pattern: RegExp) => waitFor(() => pattern.exec(output) ?? undefined, 20_000);
  return { client, id, type, see, output: () => output, exit: () => exit };
}

describe('binary service terminals', () => {
  it('runs the command in its working directory with its env (table, env file, env reference), and passes the exit code', async () => {
    const result = await exec(['shell', '--', 'sh', '-c', 'echo "$FROM_TABLE $FROM_FILE $FROM_REFERENCE"; pwd; echo to-stderr >&2; exit 7']);
    expect(result.stdout).toBe(`table-value file-value from-the-caller\n${workDir}\n`);
    expect(result.stderr).toBe('to-stderr\n');
    expect(result.code).toBe(7);
  });

  it('reads a piped stdin to its end, as a script would use it', async () => {
    const result = await exec(['shell'], 'echo "piped $FROM_TABLE"\nexit 3\n');
    expect(result.stdout).toBe('piped table-value\n');
    expect(result.code).toBe(3);
  });

  it('is a real terminal: resize changes `stty size`, Ctrl-C interrupts a sleep and the shell goes on, exit passes its code', async () => {
    const t = await terminal('shell', 80, 24);
    await t.type('echo "PID=$$"; stty size\n');
    const pid = Number((await t.see(/PID=(\d+)/))[1]);
    await t.see(/^24 80\r?$/m);
    await t.client.call('terminalResize', { id: t.id, cols: 123, rows: 37 });
    await t.type('stty size\n');
    await t.see(/^37 123\r?$/m);

    await t.type('sleep 300\n');
    // The sleep runs (a child of the shell) before the Ctrl-C is sent.
    const sleeper = await waitFor(() => children(pid).find((child) => commandOf(child).startsWith('sleep')));
    await t.type('\x03');
    await waitFor(() => !alive(sleeper));
    await t.type('echo "alive-$((6 * 7))"\n');
    await t.see(/alive-42/);
    expect(alive(pid)).toBe(true);

    await t.type('exit 5\n');
    await waitFor(() => t.exit());
    expect(t.exit()).toEqual({ id: t.id, code: 5, signal: null });
    t.client.close();
  });

  it('ends the shell when its connection closes (no shell outlives its face)', async () => {
    const t = await terminal('shell');
    await t.type('echo "PID=$$"\n');
    const pid = Number((await t.see(/PID=(\d+)/))[1]);
    expect(alive(pid)).toBe(true);
    t.client.close();
    await waitFor(() => !alive(pid));
  });

  it("tells each session in the service's log and the events timeline", async () => {
    const client = await ownerOf(home);
    try {
      const events = await client.call('events', { service: 'shell' });
      const told = events.filter((e) => e.terminal);
      expect(told.some((e) => e.terminal?.phase === 'opened' && e.reason.startsWith('terminal opened by cli'))).toBe(true);
      expect(told.some((e) => e.terminal?.phase === 'closed' && e.reason.endsWith('exit 5'))).toBe(true);
      const log = await client.call('logTail', { name: 'shell', lines: 500 });
      const lines = log.filter((l) => l.stream === 'evt').map((l) => l.text);
      // The program's name and how many arguments, never the arguments (they may hold a password).
      expect(lines).toContain('terminal opened by cli: sh (+2 arguments) (pipes)');
      expect(lines).toContain('terminal closed (opened by cli), exit 7');
      expect([...lines, ...told.map((e) => e.reason)].join('\n')).not.toContain('FROM_TABLE');
      // The values themselves are never in the log.
      expect(lines.join('\n')).not.toContain('from-the-caller');
    } finally {
      client.close();
    }
  });

  it('refuses a terminal into a service that does not run, saying how to start it', async () => {
    await home.run(['services', 'stop', 'shell']);
    const result = await exec(['shell', '--', 'true']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'shell' is stopped: a terminal opens into a running service; start it first");
    // That line only: the connection's end after the refused open is no unhandled rejection (a stack trace).
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining("'shell' is stopped")]);
    expect((await home.run(['services', 'start', 'shell'])).code).toBe(0);
  });
});

describeWith('docker')('docker service terminals', () => {
  beforeAll(async () => {
    const started = await home.run(['services', 'start', box]);
    expect(started.code, started.stderr).toBe(0);
  }, 120_000);

  it("`services exec <name> -- sh -c 'echo $HOSTNAME'` prints the container's hostname (its id prefix), also from a piped stdin", async () => {
    const id = execFileSync('docker', ['inspect', '-f', '{{.Id}}', box], { encoding: 'utf8' }).trim();
    const direct = await exec([box, '--', 'sh', '-c', 'echo $HOSTNAME; exit 4']);
    expect(direct.stdout).toBe(`${id.slice(0, 12)}\n`);
    expect(direct.code).toBe(4);
    const piped = await exec([box], 'echo $HOSTNAME\n');
    expect(piped.stdout).toBe(`${id.slice(0, 12)}\n`);
    expect(piped.code).toBe(0);
  });

  it("opens the same terminal into a compose service's container", async () => {
    const started = await home.run(['services', 'start', composeService]);
    expect(started.code, started.stderr).toBe(0);
    const [id] = composeContainers();
    const direct = await exec([composeService, '--', 'sh', '-c', 'echo $HOSTNAME; exit 3']);
    // Before: refused, compose services offered no terminal.
    expect(direct.stdout).toBe(`${execFileSync('docker', ['inspect', '-f', '{{.Id}}', id!], { encoding: 'utf8' }).trim().slice(0, 12)}\n`);
    expect(direct.code).toBe(3);
  }, 120_000);

  it("is a terminal in the container (resize, Ctrl-C), and a hang-up ends the exec's shell there", async () => {
    const t = await terminal(box, 80, 24);
    await t.type('echo "PID=$$"; stty size\n');
    const pid = (await t.see(/PID=(\d+)/))[1]!;
    await t.see(/^24 80\r?$/m);
    await t.client.call('terminalResize', { id: t.id, cols: 101, rows: 33 });
    await t.type('stty size\n');
    await t.see(/^33 101\r?$/m);
    await t.type('sleep 300\n');
    await waitFor(() => inContainer(`ps -o pid,ppid,comm | grep -E '^ *[0-9]+ +${pid} +sleep'`));
    await t.type('\x03');
    await t.type('echo "alive-$((6 * 7))"\n');
    await t.see(/alive-42/);
    expect(inContainer(`kill -0 ${pid}`)).toBe(true);
    t.client.close();
    await waitFor(() => !inContainer(`kill -0 ${pid}`));
  });
});

describe('terminals in the browser host', () => {
  let ui: ReturnType<Home['spawnPiped']>;
  let url: URL;
  beforeAll(async () => {
    ui = home.spawnPiped(['ui', '--no-open']);
    url = new URL(await waitFor(() => /Provisioning control center: (\S+)/.exec(ui.stdout())?.[1], 20_000));
  }, 30_000);
  afterAll(async () => {
    ui.child.kill('SIGINT');
    await ui.exited;
  });

  async function page() {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { headers: { origin: url.origin } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    let next = 1;
    const call = async (method: string, params: unknown) => {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return waitFor(() => messages.find((m) => m['id'] === id)) as Promise<{ ok: boolean; result?: { id: number }; error?: { message: string } }>;
    };
    const output = () =>
      messages
        .filter((m) => 'terminal' in m)
        .map((m) => Buffer.from(base64ToBytes((m['terminal'] as { data: string }).data)).toString())
        .join('');
    return { ws, call, output, messages };
  }

  it('refuses a terminal while the setting is off, never lets the page turn it on, and opens one once the CLI did', async () => {
    const p = await page();
    const refused = await p.call('terminalOpen', { service: 'shell', cols: 80, rows: 24 });
    expect(refused.ok).toBe(false);
    expect(refused.error?.message).toContain('the setting webTerminals');
    expect(refused.error?.message).toContain('provisioning settings web-terminals on');

    const grant = await p.call('updateSettings', { webTerminals: true });
    expect(grant.ok).toBe(false);
    expect(grant.error?.message).toContain('only from the desktop app or the CLI');
    // Nor can the page say it is another face.
    const face = await p.call('sessionFace', { face: 'cli' });
    expect(face.ok).toBe(false);
    expect((await home.run(['--json', 'settings', 'web-terminals'])).stdout).toContain('"webTerminals": false');

    expect((await home.run(['settings', 'web-terminals', 'on'])).code).toBe(0);
    const opened = await p.call('terminalOpen', { service: 'shell', cols: 80, rows: 24 });
    expect(opened.ok, opened.error?.message).toBe(true);
    const id = opened.result!.id;
    await p.call('terminalInput', { id, data: textToBase64('echo "web-$((2 + 3)) $FROM_FILE"\n') });
    await waitFor(() => /web-5 file-value/.test(p.output()));

    // Turned off again (by the CLI): the page's terminal is hung up.
    expect((await home.run(['settings', 'web-terminals', 'off'])).code).toBe(0);
    await waitFor(() => p.messages.find((m) => 'terminalExit' in m));
    const client = await ownerOf(home);
    const log = await client.call('logTail', { name: 'shell', lines: 500 }).finally(() => client.close());
    expect(log.map((l) => l.text)).toContain('terminal opened by web: a shell');
    p.ws.close();
  });
});

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function inContainer(script: string): boolean {
  try {
    execFileSync('docker', ['exec', box, 'sh', '-c', script], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
