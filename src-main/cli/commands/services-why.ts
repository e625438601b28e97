/**
 * `services why <name>`: why a service is not running, blocked or degraded, as it is now — its own
 * state and reason from the owner, the chains of troubled dependencies down to their root causes
 * (over the owner's graph and current states), what preflight says — and then, labelled as
 * history, what the last platform start did with it and its critical path. Computed by the shared
 * whyOf (why.ts) the owner's `why` method also serves; printed here.
 */
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { whyOf, type WhyReport } from '@shared/contract/why';
import { buildGraph } from '@shared/graph';
import { formatDuration, type Registry } from '@shared/model';
import type { OwnerClient } from '../../daemon/owner-client';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';
import { callerEnv } from './caller-env';

export async function servicesWhy(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  await explainWhy(ctx, client, registry, name);
}

/** What `services why` prints, over a client the caller has (`provisioning run` explains a failed start with it). */
export async function explainWhy(ctx: CommandContext, client: OwnerClient, registry: Registry, name: string): Promise<void> {
  // The owner's view of the file (this copy only while the file on disk is not valid).
  const services = (await client.call('graph')).services ?? registry.services;
  const graph = buildGraph(services);
  const statuses = new Map((await client.call('status')).map((s) => [s.name, s]));
  // Known to what runs and to the file (the two differ only for a moment while the owner applies an edit).
  if (!graph.index.has(name) || !statuses.has(name)) ctx.unknownService(name, graph.names);
  const status = statuses.get(name)!;
  const readiness = !isRunning(status) ? (await client.call('readiness', { env: callerEnv(ctx, registry) })).find((r) => r.name === name) : undefined;
  const last = await client.call('lastStart');
  const why = whyOf({ name, services, statuses, ...(readiness ? { readiness } : {}), ...(last ? { lastStart: last } : {}) });
  if (ctx.options.json) {
    ctx.json({ status, chains: why.chains, readiness, lastStart: last });
    return;
  }
  const { bold, dim, red } = ctx.paint;
  const line = (s: ServiceStatus) => `${bold(s.name)} is ${paintState(ctx.paint, s.state)}: ${s.reason}`;
  ctx.out(line(status));
  for (const text of status.logTail ?? []) ctx.out(dim(`  │ ${text}`));
  for (const chain of why.chains) {
    chain.forEach((service, depth) => ctx.out(`${'  '.repeat(depth + 1)}${dim('← needs')} ${line(service)}`));
    const root = chain.at(-1)!;
    ctx.out(`${'  '.repeat(chain.length + 1)}${red('root cause:')} ${bold(root.name)}`);
    // Its last lines (a failed task's, a failed start's): what the failure said.
    for (const text of root.logTail ?? []) ctx.out(dim(`${'  '.repeat(chain.length + 1)}│ ${text}`));
  }
  if (why.refusals) {
    ctx.out(`${bold('a start now would be refused:')}`);
    for (const reason of why.refusals) ctx.out(`  - ${reason}`);
  } else if (status.state === 'stopped' && why.chains.length === 0) {
    ctx.out(dim(`\`provisioning services start ${name}\` starts it with what it needs`));
  }
  if (why.lastStart) history(ctx, name, why.lastStart);
}

/** The last platform start, as what happened then: it may no longer be why anything is as it is. */
function history(ctx: CommandContext, name: string, last: NonNullable<WhyReport['lastStart']>): void {
  const { bold, dim } = ctx.paint;
  const mine = last.step;
  const when = `${new Date(last.began).toISOString().slice(11, 19)}, ${formatDuration(Math.max(0, Date.now() - last.ended))} ago`;
  ctx.out('');
  ctx.out(dim(`history, not the current cause — the last platform start (${when}):`));
  const after = mine?.began !== undefined ? ` after ${formatDuration(mine.began - last.began)}` : '';
  ctx.out(mine ? `  ${bold(name)} ${mine.outcome}${after}: ${mine.reason}` : `  ${bold(name)} was not part of it`);
  if (last.criticalPath.length === 0) return;
  const chain = last.criticalPath.map((step) => `${step.name === name ? bold(step.name) : step.name} ${dim(formatDuration(step.ms))}`);
  ctx.out(`  ${dim(`critical path (${formatDuration(last.ended - last.began)} in all):`)} ${chain.join(dim(' → '))}`);
}
