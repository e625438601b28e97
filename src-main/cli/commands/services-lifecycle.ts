/**
 * `services start|stop|restart <name>`: asks the owning engine, prints the outcome, exits 1 on failure.
 * `start` starts the service and what it needs along the graph, shown live from the owner's plan as
 * `platform start` is; `--no-deps` starts it alone (the Compose convention).
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { notRunHere } from '@shared/contract/service-actions';
import { SERVING, UP } from '@shared/contract/state-meaning';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';
import { callerEnv } from './caller-env';
import { watchOperation } from './platform-operation';

export type LifecycleAction = 'start' | 'stop' | 'restart';

/**
 * Did it work: stopped (one only watched is never ours to stop); started and serving (a remote
 * service answering counts); started alone (`--no-deps`) and up — degraded is what was asked for
 * when what it needs was left stopped.
 */
function succeeded(action: LifecycleAction, status: ServiceStatus, options: LifecycleOptions): boolean {
  if (action === 'stop') return status.state === 'stopped' || notRunHere(status);
  return (action === 'start' && options.noDeps ? UP : SERVING).has(status.state);
}

export interface LifecycleOptions {
  readonly force?: boolean;
  /** `start` only: the service alone, not what it needs. */
  readonly noDeps?: boolean;
}

export async function servicesLifecycle(ctx: CommandContext, action: LifecycleAction, name: string, options: LifecycleOptions = {}): Promise<void> {
  const status = await ask(ctx, action, name, options);
  if (ctx.options.json) ctx.json(status);
  else printOutcome(ctx, status);
  if (!succeeded(action, status, options)) throw new CliExit(EXIT.invalid);
}

async function ask(ctx: CommandContext, action: LifecycleAction, name: string, options: LifecycleOptions): Promise<ServiceStatus> {
  const { client, registry } = await ctx.owner();
  const env = callerEnv(ctx, registry);
  if (action === 'stop') return client.call('stop', { name, force: options.force ?? false });
  if (action === 'restart') return client.call('restart', { name, env });
  if (options.noDeps) return client.call('start', { name, env, noDeps: true });
  // With what it needs: the owner's plan and each state change are shown while they start.
  return watchOperation(ctx, client, () => client.call('start', { name, env }), { reports: () => [] });
}

export function printOutcome(ctx: CommandContext, status: ServiceStatus): void {
  const { bold, dim } = ctx.paint;
  ctx.out(`${bold(status.name)} ${paintState(ctx.paint, status.state)} ${dim('·')} ${status.reason}`);
  for (const line of status.logTail ?? []) ctx.out(dim(`  │ ${line}`));
}
