/**
 * `services list`: every service of the registry, in start order. While an owner of the registry
 * runs, the file is read by that owner (it has the schemas loaded) and this command parses nothing.
 */
import { buildGraph, topologicalOrder } from '@shared/graph';
import type { OverriddenValue, Registry, ServiceDefinition } from '@shared/model';
import { describeHealthCheck } from '@shared/model/describe-service';
import { SOURCE_LABELS } from '../../core/registry/registry-naming';
import type { CommandContext } from '../command-context';

/** Services sorted the way they start: dependencies first, then by `order`. */
export function inStartOrder(registry: Pick<Registry, 'services'>): ServiceDefinition[] {
  const byName = new Map(registry.services.map((service) => [service.name, service]));
  return topologicalOrder(buildGraph(registry.services)).map((name) => byName.get(name)!);
}

export async function servicesList(ctx: CommandContext): Promise<void> {
  const { location, displayPath, services: all, overridden } = (await ctx.ownerRegistry()) ?? (await fromFile(ctx));
  const services = inStartOrder({ services: all });
  if (ctx.options.json) {
    ctx.json({ registry: { path: location.path, source: location.source }, services, overridden });
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
  for (const line of overrideLines(overridden)) ctx.out(dim(line));
}

/** Per override file, what it set: `services.local.toml: api (ports, deployment.binary.args); db disabled`. */
export function overrideLines(overridden: readonly OverriddenValue[]): string[] {
  const byFile = grouped(overridden, (value) => value.file);
  return [...byFile].map(([file, values]) => {
    const said = [...grouped(values, (value) => value.service)].map(([service, keys]) => {
      if (keys.some((value) => value.disabled)) return `${service} disabled`;
      if (keys.some((value) => value.key === '')) return `${service} (defined there)`;
      return `${service} (${keys.map((value) => value.key).join(', ')})`;
    });
    return `${file} overrides: ${said.join('; ')}`;
  });
}

function grouped<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

async function fromFile(ctx: CommandContext) {
  const { loaded } = await ctx.registry();
  // What people see: never the env file values the engine's copy holds.
  return { location: loaded.location, displayPath: loaded.displayPath, services: loaded.shown!.services, overridden: loaded.overridden };
}
