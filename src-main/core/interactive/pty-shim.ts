/**
 * The pty shim: holds the terminal of an interactive service (`interactive = true`), as the log
 * shim holds a service's pipes and conmon a container's. It opens a pseudo-terminal and gives its
 * name to the manager, which spawns the service on it (the slave as stdin, stdout and stderr) as it
 * spawns any binary service — same launcher, cgroup and markers, and the service is the manager's
 * own child — while this process keeps the master side, so the terminal outlives any manager:
 *
 * - everything the terminal prints goes to the service's raw stdout file, capped (raw-sink.ts), so
 *   its log goes on while nobody is attached;
 * - the last SCROLLBACK_BYTES of it are replayed to each attacher;
 * - a unix socket in the private pty folder (0700: only our uid gets in) takes attach connections
 *   (pty-frames.ts). Several may attach at once, as with docker attach or a shared tmux session:
 *   each sees the output and may type; the terminal takes the size last asked for. An attacher that
 *   does not read what it is sent (over CLIENT_BACKLOG_BYTES queued) is let go: the terminal is
 *   never held up by a client.
 *
 * It ends when the terminal ends: when no process holds the slave side any more (the service and
 * its descendants are gone), a read of the master fails with EIO. It carries no service markers and
 * ignores stop signals: a stop reaches the service, never the shim. Like the log shim, it says
 * `ready <slave path>` on its stdout, then waits for its stdin to close (the manager opened the slave
 * and spawned the service, or died trying) before it lets go of its own slave descriptor.
 *
 * Usage: `node pty-shim.js <raw stdout> <socket path> <cols> <rows>`. Built alone (scripts/build-cli.mjs);
 * node-pty (its native openpty and resize: not its spawn, which would make the service our child) stays external.
 */
import { chmodSync, closeSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { ReadStream } from 'node:tty';
import * as nodePty from 'node-pty';
import { RawSink } from '../logs/raw-sink';
import { clampSize, dataFrames, FRAME, FrameReader } from './pty-frames';

const SCROLLBACK_BYTES = 64 * 1024;
const CLIENT_BACKLOG_BYTES = 1024 * 1024;
/** Keystrokes waiting for the service to read them; more is dropped (a paste into a program that does not read). */
const INPUT_BACKLOG_BYTES = 256 * 1024;

/** node-pty's native binding, pinned with the package (1.1.0): openpty(3) and TIOCSWINSZ. */
interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
  resize(fd: number, cols: number, rows: number): void;
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

const [rawPath, socketPath, colsArg, rowsArg] = process.argv.slice(2);
if (!rawPath || !socketPath) throw new Error('usage: pty-shim <raw stdout> <socket path> <cols> <rows>');

function fail(error: unknown): never {
  writeSync(1, `error ${(error as Error).message.replace(/\s+/g, ' ')}\n`);
  process.exit(1);
}

let terminal: { master: number; slave: number; pty: string };
let native: NativePty;
try {
  native = (nodePty as unknown as { native: NativePty }).native;
  terminal = native.open(clampSize(Number(colsArg ?? 80)), clampSize(Number(rowsArg ?? 24)));
} catch (error) {
  fail(error);
}

const sink = new RawSink(rawPath);
const attachers = new Set<Socket>();
const scrollback: Buffer[] = [];
let scrollbackBytes = 0;

function remember(chunk: Buffer): void {
  scrollback.push(Buffer.from(chunk));
  scrollbackBytes += chunk.length;
  while (scrollbackBytes - scrollback[0]!.length >= SCROLLBACK_BYTES) scrollbackBytes -= scrollback.shift()!.length;
}

function send(client: Socket, bytes: Buffer): void {
  if (client.writableLength > CLIENT_BACKLOG_BYTES) return void client.destroy();
  for (const piece of dataFrames(bytes)) client.write(piece);
}

const master = new ReadStream(terminal.master);
master.on('data', (chunk: Buffer) => {
  sink.accept(chunk);
  remember(chunk);
  for (const client of attachers) send(client, chunk);
});
let ended = false;
function end(): void {
  if (ended) return;
  ended = true;
  sink.end();
  server.close();
  rmSync(socketPath!, { force: true });
  for (const client of attachers) client.end();
  master.destroy();
}
// EIO: no process holds the slave side any more.
master.on('error', end);
master.on('close', end);

const server = createServer((client) => {
  attachers.add(client);
  const reader = new FrameReader();
  client.on('close', () => attachers.delete(client));
  client.on('error', () => undefined);
  client.on('data', (chunk: Buffer) => {
    const { frames, error } = reader.push(chunk);
    for (const f of frames) {
      if (f.type === FRAME.data && master.writableLength + f.bytes.length <= INPUT_BACKLOG_BYTES) master.write(f.bytes);
      else if (f.type === FRAME.resize) native.resize(terminal.master, f.cols, f.rows);
      else if (f.type === FRAME.detach) client.end();
    }
    if (error) client.destroy();
  });
  if (scrollbackBytes > 0) send(client, Buffer.concat(scrollback));
});
server.on('error', fail);

// A socket left by a shim that died is in the way; the folder is ours alone (pty-socket-path.ts).
rmSync(socketPath, { force: true });
server.listen(socketPath, () => {
  chmodSync(socketPath, 0o600);
  writeSync(1, `ready ${terminal.pty}\n`);
});

let released = false;
/** The manager holds our stdin until the service has the slave open: until then, ours keeps the terminal alive. */
function release(): void {
  if (released) return;
  released = true;
  process.stdin.destroy();
  closeSync(terminal.slave);
}
process.stdin.on('data', () => undefined);
process.stdin.on('error', () => undefined);
process.stdin.once('end', release);
process.stdin.once('close', release);
