/**
 * Dependency resolution for 10 / 1,000 / 10,000 services with about five dependencies each:
 * graph build, cycle check, start order, waves and the start set of the last service.
 * Goal (issue 3): the whole resolution of 10,000 services under 50 ms.
 * Parsing and validating the same registry as TOML is shown for scale (no goal).
 */
import { buildGraph, findCycles, startSet, startWaves, topologicalOrder } from '@shared/graph';
import { parseRegistry } from '@shared/model';
import { median, ms, printTable } from './measure';
import { syntheticNodes, syntheticToml } from './synthetic-registry';

const GOAL_MS = 50;
const rows: string[][] = [];
let goalMet = true;

for (const count of [10, 1_000, 10_000]) {
  const nodes = syntheticNodes(count);
  const edges = nodes.reduce((sum, node) => sum + node.dependencies.length, 0);
  const repeats = count >= 10_000 ? 15 : 50;
  const last = nodes[nodes.length - 1]!.name;
  const graph = buildGraph(nodes);
  const build = median(() => buildGraph(nodes), repeats);
  const cycles = median(() => findCycles(graph), repeats);
  const order = median(topologicalOrder, repeats, () => buildGraph(nodes));
  const resolution = median(() => {
    const fresh = buildGraph(nodes);
    if (findCycles(fresh).length > 0) throw new Error('synthetic graph has a cycle');
    topologicalOrder(fresh);
    startWaves(fresh);
    startSet(fresh, [last]);
  }, repeats);
  const toml = syntheticToml(nodes);
  const validate = median(() => parseRegistry(toml, 'bench.toml'), count >= 10_000 ? 3 : 10);
  if (count === 10_000 && resolution >= GOAL_MS) goalMet = false;
  rows.push([count.toLocaleString('en'), edges.toLocaleString('en'), ms(build), ms(cycles), ms(order), ms(resolution), ms(validate)]);
}

console.log(`\nDependency resolution (median, Node ${process.version})\n`);
printTable(['services', 'edges', 'build', 'cycle check', 'start order', 'full resolution', 'parse+validate TOML'], rows);
console.log(`\nGoal: 10,000 services resolved in < ${GOAL_MS} ms — ${goalMet ? 'met' : 'MISSED'}`);
if (!goalMet) process.exitCode = 1;
