/** `services list`: every service of the registry, in start order. */
import { buildGraph, topologicalOrder } from '@shared/graph';
import { describeHealthCheck, type Registry, type ServiceDefinition } from '@shared/model';
import { SOURCE_LABELS } from '../../core/registry/discover-registry';
import type { CommandContext } from '../command-context';

/** Services sorted the way they start: dependencies first, then by `order`. */
export function inStartOrder(registry: Registry): ServiceDefinition[] {
  const byName = new Map(registry.services.map((service) => [service.name, service]));
  return topologicalOrder(buildGraph(registry.services)).map((name) => byName.get(name)!);
}

export async function servicesList(ctx: CommandContext): Promise<void> {
  const { loaded, registry } = await ctx.registry();
  const services = inStartOrder(registry);
  if (ctx.options.json) {
    ctx.json({ registry: { path: loaded.location.path, source: loaded.location.source }, services });
    return;
  }
  const { bold, dim } = ctx.paint;
  const rows = services.map((s) => [
    bold(s.name),
    s.deployment.mode,
    String(s.order),
    s.auto_start ? 'yes' : '',
    s.dependencies.join(', '),
    describeHealthCheck(s.health_check),
    s.description,
  ]);
  ctx.table(['NAME', 'MODE', 'ORDER', 'AUTO', 'DEPENDS ON', 'HEALTH CHECK', 'DESCRIPTION'], rows);
  ctx.out(dim(`\n${services.length} service${services.length === 1 ? '' : 's'} · ${loaded.displayPath} (${SOURCE_LABELS[loaded.location.source]})`));
}
