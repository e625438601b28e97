/**
 * `platform start|stop|restart [names…]` and `services stop <name> --cascade`: operations over the
 * dependency graph, planned and run by the owner and shown live (see platform-operation.ts).
 */
import type { PlatformReport } from '@shared/contract/platform';
import type { Registry } from '@shared/model';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { showOperation } from './platform-operation';

const one = (report: PlatformReport) => [report];

export async function platformStart(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  await showOperation(ctx, client, () => client.call('platformStart', { names: [...names], env: callerEnv(ctx, registry) }), { reports: one });
}

export async function platformStop(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  await showOperation(ctx, client, () => client.call('platformStop', { names: [...names] }), { reports: one });
}

/** The owner stops the services (and what needs them), then starts again what ran before, plus the named ones. */
export async function platformRestart(ctx: CommandContext, names: readonly string[]): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  await showOperation(ctx, client, () => client.call('platformRestart', { names: [...names], env: callerEnv(ctx, registry) }), {
    reports: ({ stop, start }) => [stop, start],
  });
}

/** `services stop <name> --cascade`: says what it will stop (the owner's plan), then stops it, dependents first. */
export async function servicesStopCascade(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, [name]);
  await showOperation(ctx, client, () => client.call('platformStop', { names: [name] }), {
    reports: one,
    announce: ({ plan }) => {
      if (!ctx.options.json) ctx.out(`${ctx.paint.bold('stopping')} ${plan.join(' → ')}`);
    },
  });
}

/** Names are checked here first so a typo gets a suggestion; the owner checks them again against what runs. */
export function known(ctx: CommandContext, registry: Registry, names: readonly string[]): void {
  const all = registry.services.map((s) => s.name);
  for (const name of names) if (!all.includes(name)) ctx.unknownService(name, all);
}
