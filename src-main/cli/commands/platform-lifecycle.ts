/**
 * `platform start|stop|restart [names…]` and `services stop <name> --cascade`: operations over the
 * dependency graph, planned and run by the owner and shown live (see platform-operation.ts).
 */
import type { PlatformReport } from '@shared/contract/platform';
import type { Registry } from '@shared/model';
import type { CommandContext } from '../command-context';
import { withLabelled } from '../../core/platform/labelled-services';
import { callerEnv } from './caller-env';
import { showOperation } from './platform-operation';

const one = (report: PlatformReport) => [report];

/**
 * `labels`: also the services carrying one of them. The owner reads them against the registry it
 * runs; they are also sent as names from this copy, so an owner from before labels (which drops
 * them) still acts on those services — never on the auto-start ones or on everything.
 */
export async function platformStart(ctx: CommandContext, names: readonly string[], labels: readonly string[] = []): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const asked = withLabelled(registry, names, labels);
  await showOperation(ctx, client, () => client.call('platformStart', { names: asked, labels: [...labels], env: callerEnv(ctx, registry) }), {
    reports: one,
  });
}

export async function platformStop(ctx: CommandContext, names: readonly string[], labels: readonly string[] = []): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const asked = withLabelled(registry, names, labels);
  await showOperation(ctx, client, () => client.call('platformStop', { names: asked, labels: [...labels] }), { reports: one });
}

/** The owner stops the services (and what needs them), then starts again what ran before, plus the named ones. */
export async function platformRestart(ctx: CommandContext, names: readonly string[], labels: readonly string[] = []): Promise<void> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const asked = withLabelled(registry, names, labels);
  await showOperation(ctx, client, () => client.call('platformRestart', { names: asked, labels: [...labels], env: callerEnv(ctx, registry) }), {
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
