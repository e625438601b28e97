/** `services dependencies [name]`: the dependency tree, start order and dependents, or the graph as DOT / Mermaid. */
import {
  blastRadius,
  buildGraph,
  dependenciesOf,
  dependencyForest,
  dependencyTree,
  dependentsOf,
  startSet,
  startWaves,
  toDot,
  toMermaid,
  topologicalOrder,
  type DependencyGraph,
  type TreeDirection,
  type TreeNode,
} from '@shared/graph';
import { conditionOf, type Registry } from '@shared/model';
import type { CommandContext } from '../command-context';
import { renderTree } from '../output/tree';
import type { DependenciesOptions } from './dependencies-options';

export async function servicesDependencies(ctx: CommandContext, name: string | undefined, options: DependenciesOptions): Promise<void> {
  const { registry } = await ctx.registry();
  const graph = buildGraph(registry.services);
  if (name !== undefined && !graph.index.has(name)) ctx.unknownService(name, graph.names);
  const direction: TreeDirection = options.reverse ? 'dependents' : 'dependencies';
  if (options.format !== 'tree') {
    const shown = name === undefined ? graph : subgraph(registry, options.reverse ? blastRadius(graph, [name]) : startSet(graph, [name]));
    ctx.io.stdout.write(options.format === 'dot' ? toDot(shown) : toMermaid(shown));
  } else if (name === undefined) {
    whole(ctx, graph, direction, label(ctx, registry, direction));
  } else {
    one(ctx, graph, name, direction, registry);
  }
}

function whole(ctx: CommandContext, graph: DependencyGraph, direction: TreeDirection, labelOf: Label): void {
  const forest = dependencyForest(graph, direction);
  const waves = startWaves(graph);
  if (ctx.options.json) {
    ctx.json({ startOrder: topologicalOrder(graph), waves, tree: forest });
    return;
  }
  const { bold, dim } = ctx.paint;
  for (const tree of forest) ctx.out(renderTree(tree, labelOf));
  ctx.out(bold('\nStart waves') + dim(` (${graph.names.length} services by dependency depth; services in one wave do not need each other)`));
  waves.forEach((wave, i) => ctx.out(`  ${String(i + 1).padStart(2)}  ${wave.join(', ')}`));
}

function one(ctx: CommandContext, graph: DependencyGraph, name: string, direction: TreeDirection, registry: Registry): void {
  const tree = dependencyTree(graph, name, direction);
  const needs = dependenciesOf(graph, [name]);
  const neededBy = dependentsOf(graph, [name]);
  const direct = dependenciesOf(graph, [name], { transitive: false });
  const directDependents = dependentsOf(graph, [name], { transitive: false });
  if (ctx.options.json) {
    ctx.json({
      service: name,
      dependencies: needs,
      directDependencies: direct,
      conditions: Object.fromEntries(direct.map((dependency) => [dependency, conditionOf(serviceOf(registry, name), dependency)])),
      dependents: neededBy,
      directDependents,
      startOrder: startSet(graph, [name]),
      tree,
    });
    return;
  }
  const { bold, dim } = ctx.paint;
  const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : dim('nothing'));
  ctx.out(renderTree(tree, label(ctx, registry, direction)));
  ctx.out('');
  ctx.out(`${bold('Needs')}        ${list(needs)}`);
  ctx.out(`${bold('Needed by')}    ${list([...neededBy].reverse())}`);
  ctx.out(`${bold('Start order')}  ${startSet(graph, [name]).join(' → ')}`);
  ctx.out(`${bold('Stop order')}   ${blastRadius(graph, [name]).join(' → ')}`);
}

type Label = (node: TreeNode, parent?: TreeNode) => string;

const serviceOf = (registry: Registry, name: string) => registry.services.find((s) => s.name === name)!;

/**
 * A node's name, `(task)` for a task, and the condition of the edge it hangs by when it is not the
 * default (`healthy`): `migrate (task) [completed]`, `cache [started]`.
 */
const label =
  (ctx: CommandContext, registry: Registry, direction: TreeDirection): Label =>
  (node, parent) => {
    const { dim } = ctx.paint;
    const task = serviceOf(registry, node.name).kind === 'task' ? ` ${dim('(task)')}` : '';
    const [needer, needed] = direction === 'dependencies' ? [parent?.name, node.name] : [node.name, parent?.name];
    const condition = needer !== undefined && needed !== undefined ? conditionOf(serviceOf(registry, needer), needed) : 'healthy';
    const edge = condition === 'healthy' ? '' : ` [${condition}]`;
    return `${node.name}${task}${edge}${node.repeated ? ` ${dim('(see above)')}` : ''}`;
  };

/** The graph of just these services (their edges among themselves). */
function subgraph(registry: Registry, names: readonly string[]): DependencyGraph {
  const kept = new Set(names);
  return buildGraph(registry.services.filter((s) => kept.has(s.name)).map((s) => ({ ...s, dependencies: s.dependencies.filter((d) => kept.has(d)) })));
}
