/**
 * `platform start|stop|restart [names…]` and `services stop <name> --cascade`: operations over the
 * dependency graph, run by the owner and shown live (see platform-operation.ts).
 */
import { blastRadius, buildGraph, startSet } from '@shared/graph';
import { isRunning } from '@shared/contract/service-state';
import type { Registry } from '@shared/model';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { showOperation } from './platform-operation';

export async function platformStart(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const graph = buildGraph(registry.services);
  const involved = startSet(graph, names.length > 0 ? names : registry.services.filter((s) => s.auto_start).map((s) => s.name));
  await showOperation(ctx, client, involved, () => client.call('platformStart', { names: [...names], env: callerEnv(ctx, registry) }));
}

export async function platformStop(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const involved = names.length > 0 ? blastRadius(buildGraph(registry.services), names) : registry.services.map((s) => s.name);
  await showOperation(ctx, client, involved, () => client.call('platformStop', { names: [...names] }));
}

/** Stops the services (and what needs them), then starts again what ran before, plus the named ones. */
export async function platformRestart(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const graph = buildGraph(registry.services);
  const running = new Set((await client.call('status')).filter(isRunning).map((s) => s.name));
  const stopping = names.length > 0 ? blastRadius(graph, names) : registry.services.map((s) => s.name);
  await showOperation(ctx, client, stopping, () => client.call('platformStop', { names: [...names] }));
  const again = [...new Set([...names, ...stopping.filter((name) => running.has(name))])];
  const targets = again.length > 0 ? again : registry.services.filter((s) => s.auto_start).map((s) => s.name);
  await showOperation(ctx, client, startSet(graph, targets), () => client.call('platformStart', { names: targets, env: callerEnv(ctx, registry) }));
}

/** `services stop <name> --cascade`: says what it will stop, then stops it, dependents first. */
export async function servicesStopCascade(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, [name]);
  const radius = blastRadius(buildGraph(registry.services), [name]);
  if (!ctx.options.json) ctx.out(`${ctx.paint.bold('stopping')} ${radius.join(' → ')}`);
  await showOperation(ctx, client, radius, () => client.call('platformStop', { names: [name] }));
}

function known(ctx: CommandContext, registry: Registry, names: readonly string[]): void {
  const all = registry.services.map((s) => s.name);
  for (const name of names) if (!all.includes(name)) ctx.unknownService(name, all);
}
