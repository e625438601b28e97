/**
 * `services why <name>`: why a service is not running, blocked or degraded — its own state and last
 * words, the chains of troubled dependencies down to their root causes, what preflight says — and
 * the critical path of the last platform start.
 */
import { isRunning, SERVING, type ServiceStatus } from '@shared/contract/service-state';
import { buildGraph, troubleChains } from '@shared/graph';
import { formatDuration } from '@shared/model';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';
import { callerEnv } from './caller-env';

export async function servicesWhy(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  const graph = buildGraph(registry.services);
  if (!graph.index.has(name)) ctx.unknownService(name, graph.names);
  const statuses = new Map((await client.call('status')).map((s) => [s.name, s]));
  const stateOf = (service: string) => statuses.get(service)?.state ?? 'stopped';
  const chains = troubleChains(graph, name, (service) => !SERVING.has(stateOf(service)));
  const status = statuses.get(name)!;
  const readiness = !isRunning(status) ? (await client.call('readiness', { env: callerEnv(ctx, registry) })).find((r) => r.name === name) : undefined;
  const last = await client.call('lastStart');
  if (ctx.options.json) {
    ctx.json({ status, chains: chains.map((chain) => chain.map((service) => statuses.get(service))), readiness, lastStart: last });
    return;
  }
  const { bold, dim, red } = ctx.paint;
  const line = (s: ServiceStatus) => `${bold(s.name)} is ${paintState(ctx.paint, s.state)}: ${s.reason}`;
  ctx.out(line(status));
  for (const text of status.logTail ?? []) ctx.out(dim(`  │ ${text}`));
  for (const chain of chains) {
    chain.forEach((service, depth) => ctx.out(`${'  '.repeat(depth + 1)}${dim('← needs')} ${line(statuses.get(service)!)}`));
    ctx.out(`${'  '.repeat(chain.length + 1)}${red('root cause:')} ${bold(chain.at(-1)!)}`);
  }
  if (readiness && readiness.verdict === 'blocked') {
    ctx.out(`${bold('a start now would be refused:')}`);
    for (const reason of readiness.reasons) ctx.out(`  - ${reason}`);
  }
  const service = registry.services.find((s) => s.name === name)!;
  if (status.state === 'stopped' && chains.length === 0 && !last?.steps.some((s) => s.name === name)) {
    ctx.out(dim(`it was not part of the last platform start${service.auto_start ? '' : ' (auto_start is off)'}; \`provisioning platform start ${name}\` starts it with what it needs`));
  }
  if (last && last.criticalPath.length > 0) {
    const steps = new Map(last.steps.map((s) => [s.name, s]));
    const mine = steps.get(name);
    ctx.out('');
    if (mine) ctx.out(`${dim('last platform start:')} ${bold(name)} ${mine.outcome}${mine.began !== undefined ? ` after ${formatDuration(mine.began - last.began)}` : ''}: ${mine.reason}`);
    const chain = last.criticalPath.map((service) => {
      const step = steps.get(service)!;
      const took = formatDuration((step.ended ?? last.ended) - (step.began ?? last.began));
      return `${service === name ? bold(service) : service} ${dim(took)}`;
    });
    ctx.out(`${dim(`critical path of the last start (${formatDuration(last.ended - last.began)} in all):`)} ${chain.join(dim(' → '))}`);
  }
}
