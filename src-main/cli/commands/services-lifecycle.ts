/** `services start|stop|restart <name>`: asks the owning engine, prints the outcome, exits 1 on failure. */
import type { ServiceStatus } from '@shared/contract/service-state';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';

export type LifecycleAction = 'start' | 'stop' | 'restart';

const WANTED: Record<LifecycleAction, ServiceStatus['state']> = { start: 'healthy', stop: 'stopped', restart: 'healthy' };

export async function servicesLifecycle(ctx: CommandContext, action: LifecycleAction, name: string, options: { force?: boolean } = {}): Promise<void> {
  const { client } = await ctx.owner();
  const status = action === 'stop' ? await client.call('stop', { name, force: options.force ?? false }) : await client.call(action, { name });
  if (ctx.options.json) ctx.json(status);
  else printOutcome(ctx, status);
  if (status.state !== WANTED[action]) throw new CliExit(EXIT.invalid);
}

export function printOutcome(ctx: CommandContext, status: ServiceStatus): void {
  const { bold, dim } = ctx.paint;
  ctx.out(`${bold(status.name)} ${paintState(ctx.paint, status.state)} ${dim('·')} ${status.reason}`);
  for (const line of status.logTail ?? []) ctx.out(dim(`  │ ${line}`));
}
