/**
 * CLI cold start (issue 18): `services list` and `services status` against a running daemon,
 * measured pairwise with a bare `node -e 0` in the same rounds, so a machine that drifts (shared,
 * loaded) moves both sides alike. Goal: each ≤ 1.6 × bare Node in CPU and in wall (median of the
 * per-round ratios). Beside it, the daemon's own cold start: from its spawn to its socket answering.
 *
 * Each child is timed by bash's `time` keyword (TIMEFORMAT %3R %3U %3S): the kernel's rusage of the
 * waited-for child (wait4), in milliseconds, with no package to install — GNU time prints 10 ms
 * steps, too coarse against a bare Node's ~40 ms, and Node itself has no rusage of its children.
 *
 * `npm run bench:cli [-- --cli <bundle>] [-- --rounds N]`: a temp home, the demo registry with
 * kernel-given ports, the platform started, then torn down.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveHome } from '../src-main/core/paths';
import { daemonSocketPath } from '../src-main/daemon/daemon-paths';
import { OwnerClient } from '../src-main/daemon/owner-client';
import { tempDir } from '../test/support/cli-run';
import { demoRegistryWithFreePorts } from '../test/support/demo-registry-copy';
import { ms, printTable } from './measure';

const { values } = parseArgs({ options: { cli: { type: 'string', default: 'out/cli/provisioning.js' }, rounds: { type: 'string', default: '11' } } });
const cli = resolve(values.cli);
const rounds = Math.max(9, Number(values.rounds));
const GOAL = 1.6;

const home = resolveHome(tempDir('pcc-cli-bench-home-'));
const registry = join(tempDir('pcc-cli-bench-registry-'), 'services.toml');
writeFileSync(registry, (await demoRegistryWithFreePorts()).text);
// Its own index of running homes (`daemon status` lists them), not the real ~/.provisioning's.
const env = { ...process.env, PROVISIONING_HOME: home, PROVISIONING_CONFIG: registry, PROVISIONING_OWNERS_DIR: join(home, 'owners-index'), NO_COLOR: '1' };
const provisioning = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One run of `argv` as bash's `time` sees it; its output is read and dropped, a failure ends the bench. */
function timed(argv: readonly string[]): Sample {
  const script = 'TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null 2>/tmp/pcc-cli-bench-stderr || { cat /tmp/pcc-cli-bench-stderr >&2; exit 99; }';
  const run = spawnSync('bash', ['-c', script, 'bash', ...argv], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${argv.join(' ')} failed (${run.status}):\n${run.stderr}`);
  const [wall, user, sys] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000 };
}

/** Milliseconds from spawning `daemon run` to its socket answering `hello`; the daemon keeps running. */
async function daemonColdStart(): Promise<number> {
  const started = performance.now();
  const daemon = spawn(process.execPath, [cli, 'daemon', 'run', '--config', registry], { env, stdio: 'ignore', detached: true });
  daemon.unref();
  for (let tries = 0; tries < 3_000; tries++) {
    const client = await OwnerClient.connectIfRunning(daemonSocketPath(home)).catch(() => undefined);
    if (client) {
      await client.call('hello');
      client.close();
      return performance.now() - started;
    }
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error('the daemon did not answer within 15 s');
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const coldStarts: number[] = [];
try {
  for (let i = 0; i < 5; i++) {
    coldStarts.push(await daemonColdStart());
    provisioning('daemon', 'stop');
  }
  await daemonColdStart();
  provisioning('platform', 'start');

  const commands: Record<string, readonly string[]> = {
    'node -e 0': [process.execPath, '-e', '0'],
    'services list': [process.execPath, cli, 'services', 'list'],
    'services status': [process.execPath, cli, 'services', 'status'],
  };
  const names = Object.keys(commands);
  const samples = new Map<string, Sample[]>(names.map((name) => [name, []]));
  for (const name of names) timed(commands[name]!); // warm-up: page cache, the daemon's first answers
  // Each round runs every command once, in an order rotated round by round (no command always first).
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      samples.get(name)!.push(timed(commands[name]!));
    }
  }

  const bare = samples.get('node -e 0')!;
  const ratio = (runs: readonly Sample[], figure: keyof Sample) => median(runs.map((run, i) => run[figure] / bare[i]![figure]));
  const verdict = (value: number) => `${value.toFixed(2)} ×${value <= GOAL ? '' : ' (over goal)'}`;
  console.log(`\nCLI cold start against a running daemon (${rounds} rounds, medians; ratios pair by pair; goal ≤ ${GOAL} ×)\n`);
  printTable(
    ['command', 'wall', 'CPU', 'wall / node', 'CPU / node'],
    names.map((name) => {
      const runs = samples.get(name)!;
      return [name, ms(median(runs.map((r) => r.wallMs))), ms(median(runs.map((r) => r.cpuMs))), verdict(ratio(runs, 'wallMs')), verdict(ratio(runs, 'cpuMs'))];
    }),
  );
  console.log(`\ndaemon cold start to listening (spawn → socket answers hello, median of ${coldStarts.length}): ${ms(median(coldStarts))}`);
} finally {
  spawnSync(process.execPath, [cli, 'platform', 'stop'], { env, stdio: 'ignore' });
  spawnSync(process.execPath, [cli, 'daemon', 'stop'], { env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
  rmSync(join(registry, '..'), { recursive: true, force: true });
}
