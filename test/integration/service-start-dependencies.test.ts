/**
 * `services start <name>` means what the seed's start-service meant (issue 16): the service and
 * what it needs along the graph, shown from the owner's plan; `--no-deps` starts it alone, as in
 * Compose. On a copy of the demo registry (every port from the kernel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { privateHome, type Home } from '../support/cli-process';
import { demoRegistryWithFreePorts } from '../support/demo-registry-copy';

const SERVICES = ['orchestrator', 'auth', 'cache', 'indexer', 'api', 'web'];
let home: Home;

beforeAll(async () => {
  home = privateHome((await demoRegistryWithFreePorts()).text);
});
afterAll(async () => {
  await home?.cleanup();
});

const states = async () =>
  Object.fromEntries((JSON.parse((await home.run(['services', 'status', '--json'])).stdout) as ServiceStatus[]).map((s) => [s.name, s.state]));

describe('services start', () => {
  it('starts web and everything it needs, each once its dependencies are healthy', async () => {
    const { code, stdout, stderr } = await home.run(['services', 'start', 'web']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // A line per change of each service of the owner's plan, then web's outcome.
    for (const name of SERVICES) expect(stdout).toMatch(new RegExp(`^\\S+ ${name} starting · `, 'm'));
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^web healthy · /);
    expect(await states()).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 'healthy'])));
  }, 60_000);

  it('--no-deps starts only web', async () => {
    expect((await home.run(['platform', 'stop'])).code).toBe(0);
    const { code, stdout } = await home.run(['services', 'start', 'web', '--no-deps']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^web (healthy|degraded) · /);
    expect(home.processes('web')).toHaveLength(1);
    for (const name of SERVICES.filter((n) => n !== 'web')) expect(home.processes(name), name).toEqual([]);
    const now = await states();
    expect(SERVICES.filter((name) => name !== 'web').map((name) => now[name])).toEqual(SERVICES.slice(0, -1).map(() => 'stopped'));
  }, 60_000);
});
