/** Engines whose registry lives in a folder of its own (watch patterns are relative to it), with every state event recorded. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { StateEvent } from '@shared/contract/service-state';
import { parseRegistry } from '@shared/model';
import { createEngine, type Engine } from '../../src-main/core/engine';
import { tempDir } from './cli-run';
import { DEMO } from './engine-harness';

export interface WatchHarness {
  readonly dir: string;
  readonly engine: Engine;
  readonly events: StateEvent[];
  /** Writes a file below the registry's folder (its folders made first). */
  write(path: string, text?: string): void;
}

/** A binary service running the demo service on a TCP port with a TCP check; `extra` lines go into its table. */
export function demoService(name: string, port: number, extra = ''): string {
  return [
    `[services.${name}]`,
    extra,
    `[services.${name}.deployment]`,
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify([join(DEMO, 'service.mjs'), '--name', name, '--tcp', String(port), '--ready-after', '150ms'])} }`,
    `[services.${name}.health_check]`,
    'type = "tcp"',
    'interval = "200ms"',
    `tcp = { port = ${port} }`,
    '',
  ].join('\n');
}

export function watchHarnesses(): (
  registryText: string,
  files?: readonly string[],
  env?: Readonly<Record<string, string | undefined>>,
) => Promise<WatchHarness> {
  const opened: Engine[] = [];
  afterEach(async () => {
    for (const engine of opened.splice(0)) {
      // No watch may restart anything meanwhile; then dependents first (a stop of what others need
      // is refused): nothing a test started outlives it.
      const names = engine.status().map((s) => s.name);
      await engine.watch(names, false).catch(() => undefined);
      await engine.platformStop(names).catch(() => undefined);
      // What a start under way (a cascade's, launched before the stops) brought up meanwhile, one by one.
      for (const s of engine.status()) if (s.pid) await engine.stop(s.name, { dependents: 'ignore' }).catch(() => undefined);
      await engine.close();
      // The engine's close keeps services (a daemon's successor adopts them): what still runs is the test's to end.
      killOwnedBy(engine.home);
    }
  });
  return async (registryText, files = [], env = process.env) => {
    const dir = tempDir('pcc-watch-');
    const write = (path: string, text = `${Date.now()} ${Math.random()}\n`) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    files.forEach((file) => write(file));
    const { registry, issues } = parseRegistry(registryText, 'services.toml');
    if (!registry) throw new Error(issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
    const engine = await createEngine({ home: tempDir('pcc-engine-'), registry, registryDir: dir, env, clientEnv: env, ingestEveryMs: 50 });
    opened.push(engine);
    const events: StateEvent[] = [];
    engine.subscribe((event) => events.push(event));
    return { dir, engine, events, write };
  };
}

/** SIGKILLs what still runs with `home` as its owner marker (a test's leftovers, never another test's). */
function killOwnedBy(home: string): void {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PROVISIONING_OWNER=${home}`)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
}
