/**
 * `services attach <name>`: this terminal joined to the terminal of a running `interactive = true`
 * service, through its owner (a terminal session of kind `attach`): what it printed lately, then
 * live; keys, Ctrl-C and the window's size go to it. Ctrl-] detaches (the key of telnet and virsh
 * console; docker's Ctrl-P Ctrl-Q would take Ctrl-P, a REPL's history key) and the service runs on.
 * With stdin not a terminal, its bytes are typed into the service, and once it ends the attach lets
 * go as soon as the service has printed its answer (services-exec.ts): the service's own stdin is
 * never closed. Exit 0 when detached, 1 when its terminal ended (the service stopped).
 */
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { known } from './platform-lifecycle';
import { runTerminal } from './services-exec';

/** Ctrl-]. */
const DETACH_KEY = 0x1d;

export async function servicesAttach(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, [name]);
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (tty) process.stderr.write(ctx.paint.dim(`attaching to ${name}: Ctrl-] detaches, the service runs on\r\n`));
  const code = await runTerminal(client, name, [], tty, { detachKey: DETACH_KEY });
  if (tty && code === EXIT.ok) process.stderr.write(ctx.paint.dim(`\r\ndetached from ${name}\r\n`));
  if (code !== EXIT.ok) throw new CliExit(code);
}
