/**
 * The log shim: a tiny process between a binary service and the disk, as conmon is for containers.
 * The service's stdout and stderr are real pipes (FIFOs, so `/dev/stdout` can be reopened, which a
 * socket cannot) that this process drains into the raw files, so output is kept while no manager
 * runs — but never past a cap (Linux): a raw file holds at most RAW_BACKLOG_BYTES of real disk
 * blocks (the ingestor punches out what it took into the log), and beyond that output is counted
 * and replaced by one drop marker. A full disk, or any other write failure, is waited out with up
 * to HOLD_BYTES in memory, then counted the same way. The pipes are always drained, so the service
 * never blocks on its output and never gets SIGPIPE. It carries no service markers and signals leave
 * it alone: nothing stops or adopts it, it ends when its pipes close, i.e. when the last process that
 * could write them is gone.
 *
 * Usage: `node log-shim.js <raw stdout> <raw stderr> <stdout fifo> <stderr fifo>`. It opens the
 * FIFOs' read ends, says `ready` on its stdout, and starts reading once its stdin closes (the
 * manager opened the write ends and spawned the service — or died trying: then it reads an end of
 * file and exits). Built alone (scripts/build-cli.mjs) from node built-ins, log-caps and raw-sink only.
 */
import { constants, openSync, rmSync, writeSync } from 'node:fs';
import { Socket, type ConnectOpts, type SocketConstructorOpts } from 'node:net';
import { RawSink } from './raw-sink';

// A stop is the service's business: the process group and the markers reach it, never us.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

const [stdoutPath, stderrPath, stdoutFifo, stderrFifo] = process.argv.slice(2);
if (!stdoutPath || !stderrPath || !stdoutFifo || !stderrFifo) throw new Error('usage: log-shim <raw stdout> <raw stderr> <stdout fifo> <stderr fifo>');
const raws = [stdoutPath, stderrPath];
const fifos = [stdoutFifo, stderrFifo];
let reads: number[];
try {
  // Non-blocking: no writer is there yet. Reading waits for the manager (see below).
  reads = fifos.map((fifo) => openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
} catch (error) {
  writeSync(1, `error ${(error as Error).message}\n`);
  process.exit(1);
}
writeSync(1, 'ready\n');

let reading = false;
/** The manager holds our stdin until the service has its write ends: before that, a read would see an end of file. */
function startReading(): void {
  if (reading) return;
  reading = true;
  process.stdin.destroy();
  // Both ends are open (or never will be): the names are no longer needed, even if the manager died before removing them.
  for (const fifo of fifos) rmSync(fifo, { force: true });
  for (const [i, path] of raws.entries()) {
    const sink = new RawSink(path);
    // One read buffer per pipe, reused: a flood makes no garbage (the shim stays near node's own size).
    const buffer = Buffer.alloc(64 * 1024);
    const onread = { buffer, callback: (bytes: number) => (sink.accept(buffer.subarray(0, bytes)), true) };
    const pipe = new Socket({ fd: reads[i]!, readable: true, writable: false, onread } as SocketConstructorOpts & ConnectOpts);
    pipe.once('close', () => sink.end());
    pipe.on('error', () => undefined); // a reset pipe is a closed one
  }
}
process.stdin.on('data', () => undefined);
process.stdin.on('error', () => undefined);
process.stdin.once('end', startReading);
process.stdin.once('close', startReading);
