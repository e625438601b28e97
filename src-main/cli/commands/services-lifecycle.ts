/** `services start|stop|restart <name>`: asks the owning engine, prints the outcome, exits 1 on failure. */
import { SERVING, type ServiceStatus } from '@shared/contract/service-state';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';
import { callerEnv } from './caller-env';

export type LifecycleAction = 'start' | 'stop' | 'restart';

/** Did it work: started and serving (a remote service answering counts), or stopped (a remote one is never ours to stop). */
const succeeded = (action: LifecycleAction, status: ServiceStatus): boolean =>
  action === 'stop' ? status.state === 'stopped' || status.mode === 'remote' : SERVING.has(status.state);

export async function servicesLifecycle(ctx: CommandContext, action: LifecycleAction, name: string, options: { force?: boolean } = {}): Promise<void> {
  const { client, registry } = await ctx.owner();
  const status = action === 'stop' ? await client.call('stop', { name, force: options.force ?? false }) : await client.call(action, { name, env: callerEnv(ctx, registry) });
  if (ctx.options.json) ctx.json(status);
  else printOutcome(ctx, status);
  if (!succeeded(action, status)) throw new CliExit(EXIT.invalid);
}

export function printOutcome(ctx: CommandContext, status: ServiceStatus): void {
  const { bold, dim } = ctx.paint;
  ctx.out(`${bold(status.name)} ${paintState(ctx.paint, status.state)} ${dim('·')} ${status.reason}`);
  for (const line of status.logTail ?? []) ctx.out(dim(`  │ ${line}`));
}
