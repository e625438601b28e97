/**
 * Binary service supervision: start and stop latency for 1, 10 and 100 services (engine in-process,
 * and through the CLI and its daemon), then SIGKILL trials against the CLI and the daemon mid-start,
 * counting duplicates and orphans. `npm run bench:supervisor [-- trials]` (default 50 trials).
 */
import { parseRegistry } from '@shared/model';
import { createEngine } from '../src-main/core/engine';
import { SETTLE_MS } from '../src-main/core/supervisor/startup-readiness';
import { privateHome } from '../test/support/cli-process';
import { tempDir } from '../test/support/cli-run';
import { ms, printTable } from './measure';

const trials = Number(process.argv[2] ?? 50);
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));
const service = (name: string) => `[services.${name}]\ndeployment = { mode = "binary", binary = { command = "sleep", args = ["3600"] } }\n`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function engineLatency(count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `svc-${i}`);
  const { registry } = parseRegistry(names.map(service).join('\n'), 'bench.toml');
  const engine = await createEngine({ home: tempDir('pcc-bench-'), registry: registry!, registryDir: '/', env: process.env });
  const startedAt = performance.now();
  const ready = await Promise.all(names.map(async (name) => (await engine.start(name), performance.now() - startedAt)));
  const startAll = performance.now() - startedAt;
  const stopAt = performance.now();
  const stopped = await Promise.all(names.map(async (name) => (await engine.stop(name), performance.now() - stopAt)));
  const stopAll = performance.now() - stopAt;
  await engine.close();
  return [String(count), ms(median(ready) - SETTLE_MS), ms(startAll), ms(median(stopped)), ms(stopAll)];
}

async function cliLatency(): Promise<string[][]> {
  const home = privateHome(service('web'));
  const timed = async (args: string[]) => {
    const at = performance.now();
    const result = await home.run(args);
    if (result.code !== 0) throw new Error(result.stderr);
    return performance.now() - at;
  };
  const cold = await timed(['services', 'start', 'web']);
  const stop = await timed(['services', 'stop', 'web']);
  const warm = await timed(['services', 'start', 'web']);
  const status = await timed(['services', 'status', 'web']);
  await home.cleanup();
  return [
    ['services start (daemon not running)', ms(cold)],
    ['services start (daemon running)', ms(warm)],
    ['services stop', ms(stop)],
    ['services status', ms(status)],
  ];
}

async function killTrials(victim: 'cli' | 'daemon'): Promise<string[]> {
  const home = privateHome(service('web'));
  let duplicates = 0;
  let orphans = 0;
  let failedRecoveries = 0;
  for (let trial = 0; trial < trials; trial++) {
    const cli = home.spawn(['services', 'start', 'web']);
    await sleep(Math.random() * (SETTLE_MS + 200));
    if (victim === 'cli') cli.kill('SIGKILL');
    else {
      const pid = await home.daemonPid();
      if (pid) process.kill(pid, 'SIGKILL');
    }
    if ((await home.run(['services', 'start', 'web'])).code !== 0) failedRecoveries++;
    if (home.processes('web').length > 1) duplicates++;
    await home.run(['services', 'stop', 'web']);
    if (home.processes('web').length > 0) orphans++;
  }
  await home.cleanup();
  return [`SIGKILL the ${victim === 'cli' ? 'CLI' : 'daemon'} mid-start`, String(trials), String(duplicates), String(orphans), String(failedRecoveries)];
}

console.log(`\nBinary services: engine in-process (median; start includes the ${SETTLE_MS} ms settle window, shown without it)\n`);
const rows: string[][] = [];
for (const count of [1, 10, 100]) rows.push(await engineLatency(count));
printTable(['services', 'start (median, − settle)', 'start all', 'stop (median)', 'stop all'], rows);

console.log('\nThrough the CLI and its daemon (one service)\n');
printTable(['command', 'wall time'], await cliLatency());

console.log(`\nSIGKILL trials (${trials} each)\n`);
printTable(['trial', 'runs', 'duplicates', 'orphans', 'failed restarts'], [await killTrials('cli'), await killTrials('daemon')]);
