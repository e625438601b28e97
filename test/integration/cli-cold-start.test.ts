/**
 * Issue 18, cold start: while an owner of the registry runs, `services list` and `services status`
 * ask it and load neither the schemas (zod), nor TOML, nor any driver's package — seen from outside
 * the real CLI process by a module recorder — and answer exactly what they answer without an owner,
 * where the file is read by the command itself; the owner's answer follows the file as saved. The
 * bundle starts from the code cache its build wrote. (Their speed is bench/cli.bench.ts's.)
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateHomes, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';

const REGISTRY = `
[services.sleeper]
description = "keeps the owner supervising"
[services.sleeper.deployment]
mode = "binary"
binary = { command = "sleep", args = ["600"] }

[services.slowcheck]
description = "its check's timeout is longer than its interval: a warning"
dependencies = ["sleeper"]
[services.slowcheck.deployment]
mode = "binary"
binary = { command = "sleep", args = ["600"] }
[services.slowcheck.health_check]
type = "tcp"
interval = "1s"
timeout = "2s"
tcp = { port = 9 }
`;

/** What a client must not load to answer from its owner: the schemas, TOML, and the drivers' packages. */
const HEAVY = /\/node_modules\/(zod|smol-toml|dockerode|docker-modem|ssh2|@grpc|@kubernetes|ws)\//;

const homes = privateHomes(REGISTRY);
afterEach(() => homes.cleanup());

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module file the process loaded. */
  readonly modules: readonly string[];
}

/** The CLI from `cwd` (the registry's folder: the owner, started from elsewhere, names the file otherwise), its modules recorded. */
function run(h: Home, args: string[], cwd = dirname(h.registry)): Promise<Run> {
  const record = join(tempDir('pcc-modules-'), 'modules.txt');
  const env = { ...process.env, PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1', MODULE_RECORD: record };
  const recorder = join(process.cwd(), 'test', 'support', 'module-recorder.mjs');
  const cli = join(process.cwd(), 'bin', 'provisioning.js');
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', recorder, cli, ...args], { env, cwd }, (error, stdout, stderr) => {
      let modules: string[] = [];
      try {
        modules = readFileSync(record, 'utf8').split('\n').filter(Boolean);
      } catch {
        // nothing loaded beyond the entry: no record
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr, modules });
    }),
  );
}

const heavy = (r: Run) => r.modules.filter((path) => HEAVY.test(path));

describe('a client command while an owner runs', () => {
  it('services list and services status load no schema, TOML or driver package', async () => {
    const h = homes.create();
    expect((await h.run(['services', 'start', 'sleeper'])).code).toBe(0);
    for (const args of [
      ['services', 'list'],
      ['services', 'list', '--json'],
      ['services', 'status'],
      ['services', 'status', 'sleeper'],
    ]) {
      const r = await run(h, args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.modules.length).toBeGreaterThan(0);
      expect(heavy(r), args.join(' ')).toEqual([]);
    }
    expect((await run(h, ['services', 'status'])).stdout).toMatch(/^sleeper +healthy/m);
    // The recorder does see them where they are loaded: the same list once no owner runs.
    expect((await h.run(['daemon', 'stop'])).code).toBe(0);
    const alone = await run(h, ['services', 'list']);
    expect(alone.code, alone.stderr).toBe(0);
    expect(heavy(alone).some((path) => path.includes('/zod/'))).toBe(true);
  });

  it('services list answers through the owner exactly as from the file: table, JSON, and warnings naming the file as the command does', async () => {
    const h = homes.create();
    // The owner is started from another folder, so it names the file by another path.
    expect((await run(h, ['services', 'start', 'sleeper'], tempDir())).code).toBe(0);
    const owned = { text: await run(h, ['services', 'list']), json: await run(h, ['services', 'list', '--json']) };
    expect((await h.run(['daemon', 'stop'])).code).toBe(0);
    const alone = { text: await run(h, ['services', 'list']), json: await run(h, ['services', 'list', '--json']) };
    expect(heavy(owned.text)).toEqual([]);
    expect(heavy(alone.text)).not.toEqual([]);
    for (const kind of ['text', 'json'] as const) {
      expect(owned[kind].code).toBe(0);
      expect(owned[kind].stdout).toBe(alone[kind].stdout);
      expect(owned[kind].stderr).toBe(alone[kind].stderr);
    }
    expect(owned.text.stderr).toContain('services.toml:');
    expect(owned.text.stderr).toMatch(/^services\.toml:\d+:\d+ services\.slowcheck\.health_check\.timeout: warning: 2s is longer than the interval 1s/m);
    expect(owned.text.stdout).toMatch(/^slowcheck +binary/m);
  });

  it('services list through the owner shows the file as saved now: an edit, an edit that makes it invalid, and back', async () => {
    const h = homes.create();
    expect((await h.run(['services', 'start', 'sleeper'])).code).toBe(0);
    const first = await run(h, ['services', 'list']);
    expect(first.stdout).toContain('keeps the owner supervising');
    // The same length, saved at once: only the text itself tells the owner's kept answer is stale.
    writeFileSync(h.registry, REGISTRY.replace('keeps the owner supervising', 'KEEPS THE OWNER SUPERVISING'));
    const edited = await run(h, ['services', 'list']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(heavy(edited)).toEqual([]);
    expect(edited.stdout).toContain('KEEPS THE OWNER SUPERVISING');
    writeFileSync(h.registry, REGISTRY.replace('keeps the owner supervising', 'keeps the owner supervising"\nbogus = "1'));
    const invalid = await run(h, ['services', 'list']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/^services\.toml:\d+:\d+ services\.sleeper\.bogus: unknown key$/m);
    writeFileSync(h.registry, REGISTRY);
    const restored = await run(h, ['services', 'list']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(heavy(restored)).toEqual([]);
    expect(restored.stdout).toContain('keeps the owner supervising');
  });
});

describe('the built CLI', () => {
  it('is run from a code cache that its build wrote for its own bundle and that this Node accepts', () => {
    const dir = join(process.cwd(), 'out', 'cli');
    const bundle = /"(cli-[\w-]+\.cjs)"/.exec(readFileSync(join(dir, 'provisioning.js'), 'utf8'))?.[1];
    expect(bundle).toBeDefined();
    // As code-cache-entry.ts compiles it, in a Node of its own (the flags of this test's Node are vitest's).
    const compile = `const { readFileSync } = require('node:fs');
      const file = process.argv[1];
      const script = new (require('node:vm').Script)(require('node:module').wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(file.replace(/\\.cjs$/, '.v8cache')) });
      process.stdout.write(String(script.cachedDataRejected));`;
    expect(execFileSync(process.execPath, ['-e', compile, join(dir, bundle!)], { encoding: 'utf8' })).toBe('false');
  });
});
