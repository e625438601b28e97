/**
 * Keeps a PTY's last output. On Linux, once the program and everything else holding the PTY's
 * slave side have closed it, reading the master fails (EIO) with output still in the kernel's
 * buffer — `printf` of 300 kB then `exit` lost its last few kB in half the runs. So the owner holds
 * the slave open itself while the program runs, and closes it only once the program has ended and
 * its output has gone quiet: the master then reads to the end, and node-pty reports the exit.
 */
import { closeSync, constants, openSync } from 'node:fs';

/** How long output must be quiet after the program ended before the slave is closed. */
const QUIET_MS = 50;
/** How often the program's pid is looked at (node-pty does not tell its end before the output is read). */
const POLL_MS = 50;

/** Holds `slave` (the PTY's device path) open until `pid` has ended and output is quiet; call the returned function on each output. */
export function holdUntilDrained(slave: string, pid: number): () => void {
  let fd: number | undefined;
  try {
    fd = openSync(slave, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    // Not openable (another user's PTY): output may then lose its tail, nothing worse.
    return () => undefined;
  }
  let ended = false;
  let quiet: NodeJS.Timeout | undefined;
  const release = () => {
    if (fd === undefined) return;
    closeSync(fd);
    fd = undefined;
  };
  const wait = () => {
    clearTimeout(quiet);
    quiet = setTimeout(release, QUIET_MS);
  };
  const poll = setInterval(() => {
    if (alive(pid)) return;
    clearInterval(poll);
    ended = true;
    wait();
  }, POLL_MS);
  return () => {
    if (ended) wait();
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
