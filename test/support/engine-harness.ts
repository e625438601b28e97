/** Engines on real processes for tests: a private home, a registry from TOML text, recorded events. */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { parseRegistry } from '@shared/model';
import { createEngine, type Engine } from '../../src-main/core/engine';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { identify } from '../../src-main/core/process/process-identity';
import { tempDir } from './cli-run';

export const FIXTURES = join(process.cwd(), 'test', 'fixtures');
export const DEMO = join(process.cwd(), 'platform', 'demo');

/** A binary service running `node <args…>`; `extra` lines go into the service table. */
export function nodeService(name: string, args: string[], extra = '', startup = ''): string {
  return [
    `[services.${name}]`,
    extra,
    `[services.${name}.deployment]`,
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify(args)} }`,
    startup ? `[services.${name}.startup]\n${startup}` : '',
    '',
  ].join('\n');
}

export interface Harness {
  readonly home: string;
  readonly engine: Engine;
  /** Every status pushed that changed something but its health result (each check is pushed too). */
  readonly events: ServiceStatus[];
  /** A new engine on the same home and registry, as after a manager restart. */
  reopen(): Promise<Harness>;
  processes(service: string): number[];
}

type Env = Readonly<Record<string, string | undefined>>;

export async function harness(registryText: string, home = tempDir('pcc-engine-'), env: Env = process.env): Promise<Harness> {
  const { registry, issues } = parseRegistry(registryText, 'test.toml');
  if (!registry) throw new Error(issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  const events: ServiceStatus[] = [];
  // An engine in a test is its own client: its env references read `env`, as the desktop app's do.
  const engine = await createEngine({ home, registry, registryDir: FIXTURES, env, clientEnv: env, ingestEveryMs: 50 });
  const last = new Map<string, ServiceStatus>();
  engine.subscribe(({ status }) => {
    const before = last.get(status.name);
    last.set(status.name, status);
    // A check's result alone (its latency, every interval) is pushed too; what tests read here are the changes.
    if (before && (['state', 'reason', 'since', 'restarts'] as const).every((key) => before[key] === status[key])) return;
    events.push(status);
  });
  return {
    home,
    engine,
    events,
    reopen: () => harness(registryText, home, env),
    processes: (service) =>
      managedProcesses(home)
        .filter((p) => p.service === service)
        .map((p) => p.pid),
  };
}

/** Polls until `probe` answers; the limit is a hang guard sized for a loaded machine, not a speed goal. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Alive and not a zombie (a dead process its parent has not reaped yet). */
export const alive = (pid: number): boolean => identify(pid) !== undefined;

/**
 * Harnesses for one test file: `open` makes one, `track` takes one made elsewhere (a reopen); after
 * each test every running service is stopped and every engine closed.
 */
export function harnesses(): { open: (text: string, env?: Env) => Promise<Harness>; track: (h: Harness) => Harness } {
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0).reverse()) {
      for (const s of h.engine.status()) if (s.pid) await h.engine.stop(s.name).catch(() => undefined);
      await h.engine.close();
    }
  });
  const track = (h: Harness) => {
    opened.push(h);
    return h;
  };
  return { open: async (text, env) => track(await harness(text, undefined, env)), track };
}

/** A port nothing listens on now, chosen by the kernel (a random pick can land on a port in use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
