/**
 * `services list`: every service of the registry, in start order. While an owner of the registry
 * runs, the file is read by that owner (it has the schemas loaded) and this command parses nothing.
 */
import { buildGraph, topologicalOrder } from '@shared/graph';
import type { Registry, ServiceDefinition } from '@shared/model';
import { describeHealthCheck } from '@shared/model/describe-service';
import { SOURCE_LABELS } from '../../core/registry/registry-naming';
import type { CommandContext } from '../command-context';

/** Services sorted the way they start: dependencies first, then by `order`. */
export function inStartOrder(registry: Pick<Registry, 'services'>): ServiceDefinition[] {
  const byName = new Map(registry.services.map((service) => [service.name, service]));
  return topologicalOrder(buildGraph(registry.services)).map((name) => byName.get(name)!);
}

export async function servicesList(ctx: CommandContext): Promise<void> {
  const { location, displayPath, services: all } = (await ctx.ownerRegistry()) ?? (await fromFile(ctx));
  const services = inStartOrder({ services: all });
  if (ctx.options.json) {
    ctx.json({ registry: { path: location.path, source: location.source }, services });
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
  ctx.out(dim(`\n${services.length} service${services.length === 1 ? '' : 's'} · ${displayPath} (${SOURCE_LABELS[location.source]})`));
}

async function fromFile(ctx: CommandContext) {
  const { loaded, registry } = await ctx.registry();
  return { location: loaded.location, displayPath: loaded.displayPath, services: registry.services };
}
