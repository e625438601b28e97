/**
 * `platform watch [names…]`: the development loop for a session. The owner watches the named
 * services (none: every one with a `watch` table) for as long as this command's connection lasts —
 * Ctrl-C, its exit or a lost connection turn it off again (the hold is the connection's, as a run's
 * is). Each trigger is printed as the service's log says it, and each change of state that follows
 * (the restart, the cascade), until then. With --json, each timeline entry is one JSON line.
 */
import type { TimelineEvent } from '@shared/contract/service-state';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { RunSignals } from '../run/run-signals';
import { known } from './platform-lifecycle';

export async function platformWatch(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const signals = new RunSignals();
  try {
    const ended = new Promise<'signal' | 'closed'>((resolve) => {
      signals.onSignal(() => resolve('signal'));
      client.onClose(() => resolve('closed'));
    });
    client.onEvent(({ transition }) => {
      if (transition) print(ctx, transition);
    });
    await client.call('subscribe');
    const { watching } = await client.call('watch', { names: [...names], on: true, hold: true });
    if (!ctx.options.json) ctx.err(`${ctx.paint.bold('watching')} ${watching.join(', ')} ${ctx.paint.dim('(Ctrl-C to stop)')}`);
    if ((await ended) === 'closed') {
      ctx.err(ctx.paint.red('the owner closed the connection: watching is off'));
      throw new CliExit(EXIT.invalid);
    }
    // Said to the owner at once; closing the connection would end the hold all the same.
    await client.call('cancel').catch(() => undefined);
    if (!ctx.options.json) ctx.err(ctx.paint.dim('watching is off'));
  } finally {
    signals.dispose();
  }
}

function print(ctx: CommandContext, entry: TimelineEvent): void {
  if (ctx.options.json) return ctx.out(JSON.stringify(entry));
  const { bold, cyan, dim } = ctx.paint;
  const time = dim(new Date(entry.at).toTimeString().slice(0, 8));
  ctx.out(entry.watch ? `${time} ${bold(entry.service)} ${cyan(entry.reason)}` : `${time} ${bold(entry.service)} ${entry.to}: ${entry.reason}`);
}
