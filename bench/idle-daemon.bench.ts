/**
 * What an owner costs while nothing happens (issue 18): the daemon's own CPU, read from
 * /proc/<pid>/stat (utime + stime) over the same window, beside its anchors measured in the same run —
 * a bare `node -e "setInterval(() => {}, 1000)"` (the floor of any Node daemon) and PM2's daemon with
 * 10 apps, when PM2 can be installed from npm here. Goals: the demo registry supervised idle ≤ 1 % of
 * a core; 200 services checked every second ≤ 3 %. Then log ingestion throughput: the ingestor
 * alone on a written raw file, and end to end (service → pipes → log shim → raw file → log) through
 * the daemon. `npm run bench:idle`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { logFiles } from '../src-main/core/logs/log-files';
import { LogWriter } from '../src-main/core/logs/log-writer';
import { RawLogIngestor } from '../src-main/core/logs/raw-log-ingestor';
import { stateDirs } from '../src-main/core/state/state-store';
import { privateHome, type Home } from '../test/support/cli-process';
import { tempDir } from '../test/support/cli-run';
import { demoRegistryWithFreePorts, freePorts } from '../test/support/demo-registry-copy';
import { idleShare, printTable } from './measure';

const SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 20);
/** Before each window: start-up, the first checks, JIT and the collector's one-off compaction after start-up are not idle cost. */
const WARM_UP_MS = 15_000;
const WINDOW = { warmUpMs: WARM_UP_MS, seconds: SECONDS };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The daemon runs the CLI bundle: built from the sources measured.
execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });

const percent = (share: number) => `${share.toFixed(2)} %`;
const rows: string[][] = [];
const notes: string[] = [];

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

// Floor: a bare Node process with one timer.
{
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  rows.push(['bare node -e "setInterval(() => {}, 1000)"', '', percent(await idleShare(bare.pid!, WINDOW)), 'reference']);
  await ended(bare);
}

/** PM2 from npm into a cache folder (once), or why it cannot be had here. */
function pm2(): { bin: string } | { why: string } {
  const dir = join(homedir(), '.cache', 'provisioning-bench', 'pm2');
  const bin = join(dir, 'node_modules', '.bin', 'pm2');
  if (existsSync(bin)) return { bin };
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, 'pm2@6'], { stdio: 'ignore', timeout: 120_000 });
  } catch (error) {
    return { why: `npm install pm2 failed (${(error as Error).message.split('\n')[0]})` };
  }
  return existsSync(bin) ? { bin } : { why: 'npm install pm2 gave no pm2 binary' };
}

// Anchor: PM2's daemon ("God Daemon") with 10 idle apps.
{
  const found = pm2();
  if ('why' in found) {
    rows.push(['PM2 daemon, 10 apps', '', 'not measured', 'anchor']);
    notes.push(`PM2 could not be installed here: ${found.why}; the bare Node process is the reference.`);
  } else {
    const dir = tempDir('pcc-pm2-');
    const env = { ...process.env, PM2_HOME: join(dir, 'home') };
    writeFileSync(join(dir, 'app.js'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(
      join(dir, 'apps.config.js'),
      `module.exports = { apps: Array.from({ length: 10 }, (_, i) => ({ name: 'app-' + i, script: ${JSON.stringify(join(dir, 'app.js'))} })) };\n`,
    );
    execFileSync(found.bin, ['start', join(dir, 'apps.config.js')], { env, stdio: 'ignore', timeout: 60_000 });
    const pid = Number(readFileSync(join(dir, 'home', 'pm2.pid'), 'utf8'));
    const version = execFileSync(found.bin, ['--version'], { env, encoding: 'utf8' }).trim();
    rows.push([`PM2 ${version} daemon, 10 apps`, '', percent(await idleShare(pid, WINDOW)), 'anchor']);
    execFileSync(found.bin, ['kill'], { env, stdio: 'ignore', timeout: 60_000 });
  }
}

/** Runs the CLI on a home, failing loudly: a bench on a home that did not start measures nothing. */
async function run(home: Home, args: string[]): Promise<string> {
  const result = await home.run(args);
  if (result.code !== 0) throw new Error(`provisioning ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

const states = async (home: Home) => (JSON.parse(await run(home, ['services', 'status', '--json'])) as { state: string }[]).map((s) => s.state);

// The demo registry (six services, all four check types), on ports the kernel gives now.
{
  const home = privateHome((await demoRegistryWithFreePorts()).text);
  try {
    await run(home, ['platform', 'start']);
    const started = await states(home);
    rows.push([
      `daemon, demo registry (${started.filter((s) => s === 'healthy').length}/${started.length} healthy)`,
      'started',
      percent(await idleShare((await home.daemonPid())!, WINDOW)),
      '≤ 1 %',
    ]);
    // A new owner adopts what the last one left running.
    await run(home, ['daemon', 'stop']);
    const adopted = await states(home);
    rows.push([
      `daemon, demo registry (${adopted.filter((s) => s === 'healthy').length}/${adopted.length} healthy)`,
      'adopted',
      percent(await idleShare((await home.daemonPid())!, WINDOW)),
      '≤ 1 %',
    ]);
    await run(home, ['platform', 'stop']);
  } finally {
    await home.cleanup();
  }
}

// 200 services checked every second: remote services (watched, no process of ours each) TCP-checked
// against a server in another process, and one binary service that keeps the daemon from idling out.
{
  const [port] = await freePorts(1);
  const server = spawn(process.execPath, ['-e', `require('net').createServer((s) => s.on('error', () => {}).end()).listen(${port}, '127.0.0.1')`], {
    stdio: 'ignore',
  });
  const remote = (i: number) =>
    `[services.r${i}]\n[services.r${i}.deployment]\nmode = "remote"\nremote = { url = "http://127.0.0.1:${port}/" }\n` +
    `[services.r${i}.health_check]\ntype = "tcp"\ninterval = "1s"\ntimeout = "1s"\ntcp = { port = ${port} }\n`;
  const keeper = '[services.keeper]\n[services.keeper.deployment]\nmode = "binary"\nbinary = { command = "sleep", args = ["3600"] }\n';
  // The floor: the same 200 connects a second from a bare process (the kernel's loopback handshake and
  // close are charged to the connecting process, so no TCP check can cost less).
  const connects = `setInterval(() => { for (let i = 0; i < 200; i++) require('net').connect(${port}, '127.0.0.1').once('connect', function () { this.destroy(); }).on('error', () => {}); }, 1000)`;
  const floor = spawn(process.execPath, ['-e', connects], { stdio: 'ignore' });
  rows.push(['floor: bare node making the same 200 connects a second', '', percent(await idleShare(floor.pid!, WINDOW)), '']);
  await ended(floor);
  const home = privateHome([keeper, ...Array.from({ length: 200 }, (_, i) => remote(i))].join('\n'));
  try {
    await run(home, ['services', 'start', 'keeper']);
    const share = await idleShare((await home.daemonPid())!, WINDOW);
    const watched = (await states(home)).filter((s) => s === 'external').length;
    rows.push([`daemon, 200 services TCP-checked every 1 s (${watched} passing)`, '', percent(share), '≤ 3 %']);
    await run(home, ['platform', 'stop']);
  } finally {
    await home.cleanup();
    await ended(server);
  }
}

console.log(`\nIdle CPU, one core = 100 %, each over ${SECONDS} s after ${WARM_UP_MS / 1000} s (/proc/<pid>/stat utime + stime)\n`);
printTable(['process', 'services', 'CPU', 'goal'], rows);
for (const note of notes) console.log(`\n* ${note}`);

// Log ingestion: the ingestor alone, draining 64 MiB of 95-byte lines written to a raw file beforehand.
const MIB = 1024 * 1024;
const lineOf = (n: number) => `line ${String(n).padStart(9, '0')} ${'x'.repeat(80)}\n`;
const alone: number[] = [];
for (let round = 0; round < 3; round++) {
  const files = logFiles(tempDir('pcc-ingest-bench-'), 'flood');
  const fd = openSync(files.rawStdout, 'w');
  let bytes = 0;
  for (let n = 0; bytes < 64 * MIB; ) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++) chunk += lineOf(n++);
    writeSync(fd, chunk);
    bytes += chunk.length;
  }
  closeSync(fd);
  const writer = new LogWriter(files);
  const ingestor = new RawLogIngestor(files, writer, (error) => {
    throw error;
  });
  const began = performance.now();
  await ingestor.drain();
  alone.push(bytes / MIB / ((performance.now() - began) / 1000));
  ingestor.close();
  writer.close();
}
alone.sort((a, b) => a - b);

/**
 * Reads a service log as it is written, across rotations (the rotated file is read to its end through
 * the descriptor held on it), looking only for what the bench needs: the drop markers' byte counts
 * and the last raw position logged. Bytes are searched, not decoded: it costs less than the log.
 */
class LogWatch {
  dropped = 0;
  /** How far the raw stdout was logged (the last `# raw <stdout> <stderr>` line). */
  position = 0;
  #fd: number | undefined;
  #ino = -1;
  #offset = 0;
  #rest = Buffer.alloc(0);
  readonly #chunk = Buffer.alloc(4 * MIB);

  constructor(private readonly path: string) {}

  poll(): void {
    let ino: number;
    try {
      ino = statSync(this.path).ino;
    } catch {
      return;
    }
    if (ino !== this.#ino) {
      if (this.#fd !== undefined) this.#read();
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = openSync(this.path, 'r');
      this.#ino = ino;
      this.#offset = 0;
    }
    this.#read();
  }

  #read(): void {
    for (;;) {
      const bytes = readSync(this.#fd!, this.#chunk, 0, this.#chunk.length, this.#offset);
      if (bytes === 0) return;
      this.#offset += bytes;
      const data = Buffer.concat([this.#rest, this.#chunk.subarray(0, bytes)]);
      const end = data.lastIndexOf(10) + 1;
      this.#rest = Buffer.from(data.subarray(end));
      const lines = data.subarray(0, end);
      for (let at = lines.indexOf(MARKER); at !== -1; at = lines.indexOf(MARKER, at + 1)) {
        this.dropped += Number(lines.toString('latin1', lines.lastIndexOf(32, at - 1) + 1, at));
      }
      const positions = lines.lastIndexOf(POSITIONS);
      if (positions !== -1) this.position = Number(lines.toString('latin1', positions + POSITIONS.length, lines.indexOf(32, positions + POSITIONS.length)));
    }
  }
}
const MARKER = Buffer.from(' bytes of stdout dropped');
const POSITIONS = Buffer.from('\n# raw ');

// End to end through the daemon: a service writes 256 MiB as fast as its pipes take it, stamping when
// it began and when it was done; the time is until the log holds all the shim wrote. A writer this
// fast outruns any log: what the shim had to drop (its raw backlog at the cap) is counted from its
// drop markers, and the rate is what reached the log.
const TOTAL_LINES = Math.round((256 * MIB) / lineOf(0).length);
const e2e = await (async () => {
  const dir = tempDir('pcc-flood-');
  const [began, done] = [join(dir, 'began'), join(dir, 'done')];
  const writer = [
    `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(began)}, String(Date.now()));`,
    `const line = (n) => 'line ' + String(n).padStart(9, '0') + ' ' + 'x'.repeat(80) + '\\n';`,
    `for (let n = 0; n < ${TOTAL_LINES}; ) { let chunk = ''; for (let i = 0; i < 10000 && n < ${TOTAL_LINES}; i++) chunk += line(n++); fs.writeSync(1, chunk); }`,
    `fs.writeFileSync(${JSON.stringify(done)}, ''); setInterval(() => {}, 1000);`,
  ].join(' ');
  const home = privateHome(
    `[services.flood]\n[services.flood.deployment]\nmode = "binary"\nbinary = { command = ${JSON.stringify(process.execPath)}, args = ["-e", ${JSON.stringify(writer)}] }\n`,
  );
  try {
    await run(home, ['services', 'start', 'flood']);
    const files = logFiles(stateDirs(home.home).logs, 'flood');
    const log = new LogWatch(files.current);
    const deadline = Date.now() + 300_000;
    // Done once the writer is and the log took in all of the raw file (the shim writes the last of it soon after).
    const caughtUp = () => existsSync(done) && log.position > 0 && log.position === statSync(files.rawStdout).size;
    for (log.poll(); !caughtUp() && Date.now() < deadline; log.poll()) await sleep(20);
    if (!caughtUp()) throw new Error('the flood did not reach the log within 300 s');
    const seconds = (Date.now() - Number(readFileSync(began, 'utf8'))) / 1000;
    await run(home, ['platform', 'stop']);
    return { rate: log.position / MIB / seconds, dropped: log.dropped };
  } finally {
    await home.cleanup();
  }
})();

console.log('\nLog ingestion throughput (95-byte lines)\n');
printTable(
  ['path', 'MB/s', 'dropped', 'goal'],
  [
    ['ingestor alone: 64 MiB raw file → log (median of 3)', alone[1]!.toFixed(0), '', '≥ 85'],
    ['end to end through the daemon: service → shim → log (256 MiB written)', e2e.rate.toFixed(0), `${(e2e.dropped / MIB).toFixed(0)} MiB`, '≥ 85'],
  ],
);
