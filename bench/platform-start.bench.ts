/**
 * `platform start` of a synthetic DAG of 32 services with known readiness delays, against the DAG's
 * critical path (goal: ≤ 1.1 × critical path + 100 ms), beside the seed's way (one service at a time
 * in topological order) and the same DAG as a Compose project (`depends_on: service_healthy`) on the
 * local Docker engine. `npm run bench:platform`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, criticalPath, topologicalOrder, type GraphNode } from '@shared/graph';
import { parseRegistry } from '@shared/model';
import { createEngine } from '../src-main/core/engine';
import { tempDir } from '../test/support/cli-run';
import { ms, printTable } from './measure';
import { syntheticNodes } from './synthetic-registry';

const COUNT = 32;
const nodes = syntheticNodes(COUNT, 2, 7);
// Known readiness delays, 100–400 ms, the same every run.
const delayOf = new Map(nodes.map((node, i) => [node.name, 100 + ((i * 97) % 31) * 10]));
const graph = buildGraph(nodes);
const critical = criticalPath(graph, (name) => delayOf.get(name)!);
const seconds = (name: string) => (delayOf.get(name)! / 1000).toFixed(2);

/** Each service: a shell that waits its delay, then marks itself ready by a file and stays. */
function registryText(dir: string, all: readonly GraphNode[]): string {
  return all
    .map((node) => {
      const ready = join(dir, `${node.name}.ready`);
      const script = `rm -f ${ready}; sleep ${seconds(node.name)}; touch ${ready}; exec sleep 100000`;
      return [
        `[services.${node.name}]`,
        `order = ${node.order}`,
        `dependencies = ${JSON.stringify(node.dependencies)}`,
        `deployment = { mode = "binary", binary = { command = "sh", args = ["-c", ${JSON.stringify(script)}] } }`,
        `health_check = { type = "file", interval = "5s", file = { path = ${JSON.stringify(ready)} } }`,
        '',
      ].join('\n');
    })
    .join('\n');
}

async function ours(sequential: boolean): Promise<number> {
  const dir = tempDir('pcc-platform-bench-');
  const { registry, issues } = parseRegistry(registryText(dir, nodes), 'bench.toml');
  if (!registry) throw new Error(issues.map((i) => i.message).join('\n'));
  const engine = await createEngine({ home: dir, registry, registryDir: dir, env: process.env });
  const began = performance.now();
  if (sequential) {
    for (const name of topologicalOrder(graph)) if ((await engine.start(name)).state !== 'healthy') throw new Error(`${name} did not start`);
  } else {
    const report = await engine.platformStart(graph.names);
    if (report.steps.some((s) => s.outcome !== 'done')) throw new Error(JSON.stringify(report.steps.filter((s) => s.outcome !== 'done')));
  }
  const wall = performance.now() - began;
  await engine.platformStop([]);
  await engine.close();
  return wall;
}

function composeFile(): string {
  const lines = ['version: "2.4"', 'services:'];
  for (const node of nodes) {
    lines.push(
      `  ${node.name}:`,
      '    image: local/busybox:test',
      `    command: ["sh", "-c", "rm -f /tmp/ready; sleep ${seconds(node.name)}; touch /tmp/ready; exec sleep 100000"]`,
      '    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 250ms, timeout: 2s, retries: 200 }',
    );
    if (node.dependencies.length > 0) {
      lines.push('    depends_on:');
      for (const dependency of node.dependencies) lines.push(`      ${dependency}: { condition: service_healthy }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function compose(): number | string {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    return 'no Docker engine (npm run infra)';
  }
  const file = join(tempDir('pcc-compose-bench-'), 'docker-compose.yaml');
  writeFileSync(file, composeFile());
  const args = ['-p', 'pccbench', '-f', file];
  execFileSync('docker-compose', [...args, 'down', '-t', '0'], { stdio: 'ignore' });
  const began = performance.now();
  execFileSync('docker-compose', [...args, 'up', '-d'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - began;
  execFileSync('docker-compose', [...args, 'down', '-t', '0'], { stdio: 'ignore' });
  return wall;
}

const goal = critical.total * 1.1 + 100;
const dag = await ours(false);
const sequential = await ours(true);
const composed = compose();
const ratio = (wall: number) => `${(wall / critical.total).toFixed(2)} ×`;
console.log(`\nplatform start: ${COUNT} services, critical path ${critical.path.length} deep (${critical.path.join(' → ')})\n`);
printTable(
  ['', 'wall time', 'vs critical path', 'goal'],
  [
    ['critical path (sum of delays)', ms(critical.total), '1.00 ×', ''],
    ['ours: platform start (binary)', ms(dag), ratio(dag), `≤ ${ms(goal)} ${dag <= goal ? '✓' : '✗'}`],
    ['Compose v1 (service_healthy)', typeof composed === 'number' ? ms(composed) : composed, typeof composed === 'number' ? ratio(composed) : '', ''],
    ['seed: one at a time, in order', ms(sequential), ratio(sequential), ''],
  ],
);
