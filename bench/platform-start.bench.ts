/**
 * `platform start` of a synthetic DAG of 32 services with known readiness delays, against the DAG's
 * critical path (goal: ≤ 1.1 × critical path + 100 ms): as binary services, as docker-mode containers,
 * beside the same DAG as a Compose project (`depends_on: service_healthy`) on the local Docker engine
 * and the seed's way (one service at a time in topological order). Then start-to-healthy latency of
 * one container and of ten in a DAG, ours vs Compose. `npm run bench:platform`.
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

/**
 * Each service: a shell that waits its delay, then marks itself ready by a file and stays (as a
 * binary service, or in a container that writes the file into a folder shared with the host).
 */
function registryText(dir: string, all: readonly GraphNode[], mode: 'binary' | 'docker', delay: (name: string) => string = seconds): string {
  return all
    .map((node) => {
      const ready = join(dir, `${node.name}.ready`);
      const inside = mode === 'docker' ? `/ready/${node.name}.ready` : ready;
      const script = `rm -f ${inside}; sleep ${delay(node.name)}; touch ${inside}; trap 'exit 0' TERM; sleep 100000 & wait`;
      const deployment =
        mode === 'binary'
          ? `{ mode = "binary", binary = { command = "sh", args = ["-c", ${JSON.stringify(script)}] } }`
          : `{ mode = "docker", docker = { image = "local/busybox:test", container_name = "pccb-${node.name}", command = ["sh", "-c", ${JSON.stringify(script)}], volumes = [${JSON.stringify(`${dir}:/ready`)}] } }`;
      return [
        `[services.${node.name}]`,
        `order = ${node.order}`,
        `dependencies = ${JSON.stringify(node.dependencies)}`,
        `deployment = ${deployment}`,
        `health_check = { type = "file", interval = "5s", file = { path = ${JSON.stringify(ready)} } }`,
        '',
      ].join('\n');
    })
    .join('\n');
}

async function ours(sequential: boolean, mode: 'binary' | 'docker' = 'binary', all: readonly GraphNode[] = nodes, delay = seconds): Promise<number> {
  const dir = tempDir('pcc-platform-bench-');
  const { registry, issues } = parseRegistry(registryText(dir, all, mode, delay), 'bench.toml');
  if (!registry) throw new Error(issues.map((i) => i.message).join('\n'));
  const engine = await createEngine({ home: dir, registry, registryDir: dir, env: process.env });
  const began = performance.now();
  if (sequential) {
    for (const name of topologicalOrder(graph)) if ((await engine.start(name)).state !== 'healthy') throw new Error(`${name} did not start`);
  } else {
    const report = await engine.platformStart(all.map((node) => node.name));
    if (report.steps.some((s) => s.outcome !== 'done')) throw new Error(JSON.stringify(report.steps.filter((s) => s.outcome !== 'done')));
  }
  const wall = performance.now() - began;
  await engine.platformStop([]);
  await engine.close();
  // Its containers carry this run's home; the next run (another home) must not find them.
  if (mode === 'docker') execFileSync('sh', ['-c', 'docker rm -f $(docker ps -aq --filter name=pccb-) >/dev/null 2>&1; true']);
  return wall;
}

function composeFile(all: readonly GraphNode[], interval: string, delay = seconds): string {
  const lines = ['version: "2.4"', 'services:'];
  for (const node of all) {
    lines.push(
      `  ${node.name}:`,
      '    image: local/busybox:test',
      `    command: ["sh", "-c", "rm -f /tmp/ready; sleep ${delay(node.name)}; touch /tmp/ready; trap 'exit 0' TERM; sleep 100000 & wait"]`,
      `    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: ${interval}, timeout: 2s, retries: 200 }`,
    );
    if (node.dependencies.length > 0) {
      lines.push('    depends_on:');
      for (const dependency of node.dependencies) lines.push(`      ${dependency}: { condition: service_healthy }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Up until every container is healthy (`up -d` alone does not wait for the last ones). */
function compose(all: readonly GraphNode[], interval: string, delay = seconds): number {
  const file = join(tempDir('pcc-compose-bench-'), 'docker-compose.yaml');
  writeFileSync(file, composeFile(all, interval, delay));
  const args = ['-p', 'pccbench', '-f', file];
  execFileSync('docker-compose', [...args, 'down', '-t', '0'], { stdio: 'ignore' });
  const began = performance.now();
  execFileSync('docker-compose', [...args, 'up', '-d'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ids = execFileSync('docker-compose', [...args, 'ps', '-q'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  while (
    execFileSync('docker', ['inspect', '-f', '{{.State.Health.Status}}', ...ids], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .some((s) => s !== 'healthy')
  );
  const wall = performance.now() - began;
  execFileSync('docker-compose', [...args, 'down', '-t', '0'], { stdio: 'ignore' });
  return wall;
}

const docker = (() => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NO_DOCKER = 'no Docker engine (npm run infra)';
const goal = critical.total * 1.1 + 100;
const dag = await ours(false);
const containers = docker ? await ours(false, 'docker') : undefined;
const composed = docker ? compose(nodes, '250ms') : undefined;
const sequential = await ours(true);
const ratio = (wall: number | undefined) => (wall === undefined ? '' : `${(wall / critical.total).toFixed(2)} ×`);
const cell = (wall: number | undefined) => (wall === undefined ? NO_DOCKER : ms(wall));
console.log(`\nplatform start: ${COUNT} services, critical path ${critical.path.length} deep (${critical.path.join(' → ')})\n`);
printTable(
  ['', 'wall time', 'vs critical path', 'goal'],
  [
    ['critical path (sum of delays)', ms(critical.total), '1.00 ×', ''],
    ['ours: platform start (binary)', ms(dag), ratio(dag), `≤ ${ms(goal)} ${dag <= goal ? '✓' : '✗'}`],
    ['ours: platform start (docker)', cell(containers), ratio(containers), ''],
    ['Compose v1 (service_healthy, 250ms checks)', cell(composed), ratio(composed), ''],
    ['seed: one at a time, in order (binary)', ms(sequential), ratio(sequential), ''],
  ],
);

// Start-to-healthy of containers that are ready at once: what each tool itself adds.
if (docker) {
  const instant = () => '0';
  const one = syntheticNodes(1, 0, 3);
  const ten = syntheticNodes(10, 2, 5);
  console.log('\nContainers ready at once: start → all healthy\n');
  printTable(
    ['', 'ours (docker mode)', 'Compose v1 (100ms checks)'],
    [
      ['1 container', ms(await ours(false, 'docker', one, instant)), ms(compose(one, '100ms', instant))],
      ['10 in a DAG', ms(await ours(false, 'docker', ten, instant)), ms(compose(ten, '100ms', instant))],
    ],
  );
}
