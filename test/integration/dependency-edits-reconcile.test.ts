/**
 * Dependency edits on a running registry touch nothing that runs (issue 16): 20 edits, adding and
 * removing, half through the CLI (`services dependencies <name> --add/--remove`) and half through
 * the contract's `editDependency` as the graph view makes them, on services that include
 * `on_dependency_failure = "stop"` and `"restart"` ones. Afterwards every process is the one that
 * ran before (same pid, same restart count), no service that was not edited has a new lifecycle
 * line in its log, the state stream never left healthy, every health history kept what it had and
 * grew, and the file is byte for byte what it was.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DependencyEdit } from '@shared/contract/registry';
import type { ServiceStatus } from '@shared/contract/service-state';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { ownerOf } from '../support/home-client';
import { delayedRegistry } from '../support/delayed-services';
import { waitFor } from '../support/engine-harness';

const quick = { interval: '500ms' };
const SERVICES = {
  db: quick,
  cache: quick,
  api: { ...quick, deps: ['db'], extra: 'on_dependency_failure = "stop"' },
  worker: { ...quick, deps: ['cache'], extra: 'on_dependency_failure = "restart"' },
  web: { ...quick, deps: ['api'], extra: 'on_dependency_failure = "restart"' },
  audit: { ...quick, deps: ['db'], extra: 'on_dependency_failure = "stop"' },
  // The two services whose dependencies are edited: one of each reacting policy.
  batch: { ...quick, extra: 'on_dependency_failure = "stop"' },
  report: { ...quick, extra: 'on_dependency_failure = "restart"' },
};
const NAMES = Object.keys(SERVICES);
const EDITED = ['batch', 'report'];
/** Each edge is added and removed twice; none closes a cycle. */
const EDGES: [string, string][] = [
  ['batch', 'db'],
  ['report', 'cache'],
  ['batch', 'report'],
  ['report', 'api'],
  ['batch', 'worker'],
];

let home: Home;
let client: OwnerClient;

beforeAll(async () => {
  home = privateHome(delayedRegistry(SERVICES).text);
  client = await ownerOf(home);
}, 30_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
});

const lifecycleLines = async (name: string) =>
  (await client.call('logTail', { name, lines: 10_000 })).filter((line) => line.stream === 'evt').map((line) => line.text);
const histories = async () => Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await client.call('history', { name })] as const)));

describe('dependency edits on a running registry', () => {
  it('restart nothing, log nothing in unrelated services, never leave healthy, and keep every health history growing', async () => {
    const original = readFileSync(home.registry, 'utf8');
    expect((await home.run(['platform', 'start', ...NAMES])).code).toBe(0);
    // A few checks each first, so a history emptied by the edits would show.
    await waitFor(async () => Object.values(await histories()).every((history) => history.length >= 3));

    const transitions: ServiceStatus[] = [];
    client.onEvent(({ status }) => transitions.push(status));
    const { services: before } = await client.call('subscribe');
    expect(before.map((s) => [s.name, s.state])).toEqual(NAMES.map((name) => [name, 'healthy']));
    const linesBefore = new Map(await Promise.all(NAMES.map(async (name) => [name, (await lifecycleLines(name)).length] as const)));
    const historiesBefore = await histories();

    const viaCli = async ({ service, dependency, action }: DependencyEdit) => {
      const { code, stdout, stderr } = await home.run(['services', 'dependencies', service, `--${action}`, dependency]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain(`${service} ${action === 'add' ? 'now depends on' : 'no longer depends on'} ${dependency}`);
    };
    const viaGraph = async (edit: DependencyEdit) => {
      const graph = await client.call('editDependency', edit);
      expect(graph.services?.find((s) => s.name === edit.service)?.dependencies.includes(edit.dependency)).toBe(edit.action === 'add');
    };
    const rounds = [
      { action: 'add', run: viaCli },
      { action: 'remove', run: viaGraph },
      { action: 'add', run: viaGraph },
      { action: 'remove', run: viaCli },
    ] as const;
    let edits = 0;
    for (const { action, run } of rounds) {
      for (const [service, dependency] of EDGES) {
        await run({ service, dependency, action });
        edits++;
      }
    }
    expect(edits).toBe(20);
    expect(readFileSync(home.registry, 'utf8')).toBe(original);

    const editsEnded = Date.now();

    // Soft: on an engine that rebuilds, each of these fails in its own way, and all are reported.
    const after = await client.call('status');
    expect.soft(after.map((s) => [s.name, s.state, s.pid, s.restarts])).toEqual(before.map((s) => [s.name, 'healthy', s.pid, s.restarts]));
    expect.soft(NAMES.map((name) => home.processes(name))).toEqual(before.map((s) => [s.pid]));
    expect.soft(transitions.filter((s) => s.state !== 'healthy').map((s) => `${s.name} ${s.state}: ${s.reason}`)).toEqual([]);
    for (const name of NAMES.filter((n) => !EDITED.includes(n))) {
      expect.soft((await lifecycleLines(name)).slice(linesBefore.get(name)), name).toEqual([]);
    }
    // The edited ones were neither adopted again, nor stopped, nor started.
    for (const name of EDITED) {
      expect
        .soft(
          (await lifecycleLines(name)).slice(linesBefore.get(name)).filter((line) => /adopted|stopp|start|degraded/.test(line)),
          name,
        )
        .toEqual([]);
    }
    // Each history has a check from after the edits, on top of everything it had before them.
    await waitFor(async () => Object.values(await histories()).every((history) => (history.at(-1)?.at ?? 0) > editsEnded));
    const historiesAfter = await histories();
    for (const name of NAMES) {
      expect.soft(historiesAfter[name]!.length, name).toBeGreaterThan(historiesBefore[name]!.length);
      expect.soft(historiesAfter[name]!.slice(0, historiesBefore[name]!.length), name).toEqual(historiesBefore[name]);
    }
  }, 180_000);

  it('through the CLI, refuses a cycle and an unknown service with the owner’s located message, changing nothing', async () => {
    const text = readFileSync(home.registry, 'utf8');
    const cycle = await home.run(['services', 'dependencies', 'db', '--add', 'web']);
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toMatch(
      /^provisioning: db depending on web would make the registry invalid; nothing changed:\n {2}\S+services\.toml:\d+:\d+ services\.api\.dependencies\[0\]: dependency cycle: api → db → web → api\n$/,
    );
    const unknown = await home.run(['services', 'dependencies', 'batch', '--add', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/services\.toml:\d+:\d+ services\.batch\.dependencies\[0\]: unknown service 'nope'/);
    expect(readFileSync(home.registry, 'utf8')).toBe(text);

    const again = await home.run(['services', 'dependencies', 'api', '--add', 'db']);
    expect(again).toMatchObject({ code: 0, stdout: 'api already depends on db; nothing changed (it needs: db)\n' });
    const json = await home.run(['services', 'dependencies', 'batch', '--remove', 'db', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ service: 'batch', dependency: 'db', action: 'remove', changed: false, dependencies: [] });
    expect((await home.run(['services', 'dependencies', '--add', 'db'])).code).toBe(2);
    expect((await home.run(['services', 'dependencies', 'batch', '--add', 'db', '--format', 'dot'])).code).toBe(2);
    expect(readFileSync(home.registry, 'utf8')).toBe(text);
  }, 60_000);
});
