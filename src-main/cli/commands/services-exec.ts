/**
 * `provisioning services exec <name> [-- cmd…]`: a terminal into a running service — `docker exec`
 * in its container, the Kubernetes exec API in its pod, a shell in a binary service's working
 * directory and environment — through the owner (terminal.ts). With stdin and stdout a terminal it
 * is interactive: raw mode (Ctrl-C, Ctrl-D and arrows reach the program), the size followed on
 * SIGWINCH. Otherwise plain pipes, so scripts and tests can use it: stdin is passed until its end,
 * the program's stdout and stderr arrive apart. Exits with the program's code (128 + a signal).
 */
import { constants } from 'node:os';
import { TERMINAL_LIMITS } from '@shared/contract/terminal';
import type { OwnerClient } from '../../daemon/owner-client';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { known } from './platform-lifecycle';

export async function servicesExec(ctx: CommandContext, name: string, cmd: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, [name]);
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const code = await runTerminal(client, name, cmd, tty);
  if (code !== EXIT.ok) throw new CliExit(code);
}

/**
 * An attach (services-attach.ts) instead of an exec: the service's own terminal, which `detachKey`
 * lets go of from a terminal; piped input's end is not passed on (the terminal is the service's):
 * the attach lets go once the service has printed nothing for QUIET_MS (its answer is out).
 */
export interface AttachOptions {
  readonly detachKey: number;
}
const QUIET_MS = 500;

/** The session until the program ends (an attach: until detached, exit 0): its exit code. */
export async function runTerminal(client: OwnerClient, service: string, cmd: readonly string[], tty: boolean, attach?: AttachOptions): Promise<number> {
  const stdin = process.stdin;
  const size = () => ({ cols: clamp(process.stdout.columns, TERMINAL_LIMITS.cols, 80), rows: clamp(process.stdout.rows, TERMINAL_LIMITS.rows, 24) });
  let id: number | undefined = undefined;
  // What arrives before the open's answer (one terminal per connection: it is this one's) waits for it.
  const early: (() => void)[] = [];
  const whenOpen = (then: () => void) => (id === undefined ? early.push(then) : then());
  const close = () => void (id !== undefined && client.call('terminalClose', { id }).catch(() => undefined));
  let quiet: NodeJS.Timeout | undefined;
  const detachWhenQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(close, QUIET_MS);
  };
  // Outputs that are full: the owner's output is held back until all of them drained (one listener each, however many writes failed).
  const full = new Set<NodeJS.WriteStream>();
  const ended = new Promise<number>((resolve, reject) => {
    client.onTerminal((output) =>
      whenOpen(() => {
        const out = output.stream === 'stderr' ? process.stderr : process.stdout;
        // A reader that cannot keep up (a pager) holds the owner's output back, not this process's memory.
        if (!out.write(Buffer.from(output.data, 'base64')) && !full.has(out)) {
          full.add(out);
          client.hold(true);
          out.once('drain', () => {
            full.delete(out);
            if (full.size === 0) client.hold(false);
          });
        }
        if (quiet) detachWhenQuiet();
      }),
    );
    client.onTerminalExit((exit) =>
      whenOpen(() => {
        clearTimeout(quiet);
        if (attach && exit.reason === 'detached') return resolve(EXIT.ok);
        if (exit.reason) process.stderr.write(`provisioning: the terminal ended: ${exit.reason}\n`);
        resolve(exit.code ?? (exit.signal ? 128 + (constants.signals[exit.signal as NodeJS.Signals] ?? 0) : EXIT.invalid));
      }),
    );
    client.onLost(reject);
  });
  // Awaited only once the terminal opened: an open that failed, and the connection's end after it, must not reject unhandled.
  ended.catch(() => undefined);
  id = (await client.call('terminalOpen', { service, kind: attach ? 'attach' : 'exec', tty, ...size(), ...(cmd.length > 0 ? { cmd: [...cmd] } : {}) })).id;
  early.splice(0).forEach((then) => then());
  const open = id;

  const restore: (() => void)[] = [];
  if (tty) {
    stdin.setRawMode(true);
    restore.push(() => stdin.setRawMode(false));
    const resize = () => void client.call('terminalResize', { id: open, ...size() }).catch(() => undefined);
    process.stdout.on('resize', resize);
    restore.push(() => process.stdout.off('resize', resize));
  } else {
    // Without a terminal, Ctrl-C is this command's: the program is hung up, and its end is the exit.
    const hangUp = () => void client.call('terminalClose', { id: open }).catch(() => undefined);
    process.on('SIGINT', hangUp).on('SIGTERM', hangUp);
    restore.push(() => process.off('SIGINT', hangUp).off('SIGTERM', hangUp));
  }
  const onData = (data: Buffer) => {
    const key = tty && attach ? data.indexOf(attach.detachKey) : -1;
    if (key >= 0) {
      stdin.pause();
      return void sendInput(client, open, data.subarray(0, key)).finally(close);
    }
    // One message in flight: stdin is read again once the owner took the last (it carries no more than it can hold).
    stdin.pause();
    void sendInput(client, open, data).finally(() => stdin.resume());
  };
  const onEnd = () => (attach ? detachWhenQuiet() : void client.call('terminalInput', { id: open, end: true }).catch(() => undefined));
  stdin.on('data', onData).on('end', onEnd);
  restore.push(() => {
    stdin.off('data', onData).off('end', onEnd);
    stdin.pause();
  });
  try {
    return await ended;
  } finally {
    restore.forEach((undo) => undo());
  }
}

async function sendInput(client: OwnerClient, id: number, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += TERMINAL_LIMITS.chunkBytes) {
    const chunk = data.subarray(at, at + TERMINAL_LIMITS.chunkBytes).toString('base64');
    await client.call('terminalInput', { id, data: chunk }).catch(() => undefined);
  }
}

const clamp = (value: number | undefined, max: number, fallback: number) => Math.min(max, Math.max(1, value || fallback));
