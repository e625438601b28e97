/**
 * `services status [name]` and `platform status`: state, pid, uptime, CPU and memory of the whole
 * process tree (sampled by the owner), restarts and last exit, from the
 * owner; then the problems the owner met that stopped nothing (on stderr, so --json stays parseable;
 * `platform status --json` has them as `warnings`).
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { buildGraph, dependencyForest, type TreeNode } from '@shared/graph';
import type { OwnerClient } from '../../daemon/owner-client';
import type { CommandContext } from '../command-context';
import { lastExit, paintState, uptime } from '../output/status-style';
import { renderTree } from '../output/tree';

export async function servicesStatus(ctx: CommandContext, name: string | undefined): Promise<void> {
  // A running owner of the registry reads the file itself: nothing is parsed here, and the states
  // are asked in the same round trip (issue 18).
  const served = await ctx.ownerRegistry(statesAndWarnings);
  const { client } = served ?? (await ctx.owner());
  const [all, warnings] = served?.ahead ?? (await statesAndWarnings(client));
  const shown = name === undefined ? all : all.filter((s) => s.name === name);
  if (name !== undefined && shown.length === 0)
    ctx.unknownService(
      name,
      all.map((s) => s.name),
    );
  if (ctx.options.json) ctx.json(name === undefined ? shown : { ...shown[0], history: await client.call('history', { name }) });
  else statusTable(ctx, shown);
  printWarnings(ctx, warnings);
}

/** The table, then the dependency tree with each service's state. */
export async function platformStatus(ctx: CommandContext): Promise<void> {
  const { client, registry } = await ctx.owner();
  const [all, warnings] = await statesAndWarnings(client);
  const forest = dependencyForest(buildGraph(registry.services));
  if (ctx.options.json) return ctx.json({ services: all, tree: forest, warnings });
  statusTable(ctx, all);
  const states = new Map(all.map((s) => [s.name, s.state]));
  const label = (node: TreeNode) =>
    `${node.name} ${paintState(ctx.paint, states.get(node.name) ?? 'stopped')}${node.repeated ? ctx.paint.dim(' (see above)') : ''}`;
  ctx.out('');
  for (const tree of forest) ctx.out(renderTree(tree, label));
  printWarnings(ctx, warnings);
}

const statesAndWarnings = (client: OwnerClient) => Promise.all([client.call('status'), ownerWarnings(client)]);

/** An owner from before `warnings` existed answers "unknown method": it has none to tell, and status still works. */
function ownerWarnings(client: OwnerClient): Promise<readonly string[]> {
  return client.call('warnings').catch((error: Error) => {
    if (error.name === 'ProtocolError' && error.message === "unknown method 'warnings'") return [];
    throw error;
  });
}

function printWarnings(ctx: CommandContext, warnings: readonly string[]): void {
  for (const warning of warnings) ctx.err(ctx.paint.yellow(`warning: ${warning}`));
}

function statusTable(ctx: CommandContext, statuses: readonly ServiceStatus[]): void {
  const now = Date.now();
  const rows = statuses.map((s) => [
    ctx.paint.bold(s.name),
    paintState(ctx.paint, s.state),
    s.pid ? String(s.pid) : (s.workload ?? ''),
    uptime(s, now),
    s.usage ? `${s.usage.cpuPercent.toFixed(1)}%` : '',
    s.usage ? memory(s.usage.memoryBytes) : '',
    String(s.restarts),
    lastExit(s),
    s.nextRetryAt && s.nextRetryAt > now ? `${s.reason} (next try at ${new Date(s.nextRetryAt).toLocaleTimeString()})` : s.reason,
  ]);
  ctx.table(['NAME', 'STATE', 'PID / WORKLOAD', 'UPTIME', 'CPU', 'MEMORY', 'RESTARTS', 'LAST EXIT', 'REASON'], rows);
}

/** Memory as people read it: 1 decimal in MiB below 1 GiB, else GiB. */
function memory(bytes: number): string {
  return bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
