/**
 * `platform update` reconciles (issue 16): after a hand edit that changes only dependencies nothing
 * restarts, nothing is logged and nothing leaves healthy; after one that changes one service's
 * command exactly that service is restarted, and of what needs it only those whose
 * `on_dependency_failure` says so (restart, stop) run again as new processes — `ignore` keeps its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { ownerOf } from '../support/home-client';
import { delayedRegistry } from '../support/delayed-services';
import { waitFor } from '../support/engine-harness';

const quick = { interval: '500ms' };
const SERVICES = {
  db: quick,
  api: { ...quick, deps: ['db'] },
  keeps: { ...quick, deps: ['api'] },
  restarts: { ...quick, deps: ['api'], extra: 'on_dependency_failure = "restart"' },
  stops: { ...quick, deps: ['api'], extra: 'on_dependency_failure = "stop"' },
  side: { ...quick, extra: 'on_dependency_failure = "restart"' },
};
const NAMES = Object.keys(SERVICES);

let home: Home;
let client: OwnerClient;

beforeAll(async () => {
  home = privateHome(delayedRegistry(SERVICES).text);
  client = await ownerOf(home);
  expect((await home.run(['platform', 'start', ...NAMES])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
});

const pids = () => Object.fromEntries(NAMES.map((name) => [name, home.processes(name)]));
const lifecycleLines = async (name: string) => (await client.call('logTail', { name, lines: 10_000 })).filter((line) => line.stream === 'evt').length;
const allHealthy = async () => (await client.call('status')).every((s) => s.state === 'healthy');

describe('platform update reconciles', () => {
  it('restarts nothing after a hand edit that changes only dependencies', async () => {
    const transitions: ServiceStatus[] = [];
    client.onEvent(({ status }) => transitions.push(status));
    const { services: before } = await client.call('subscribe');
    const lines = await Promise.all(NAMES.map(lifecycleLines));
    const running = pids();
    const text = readFileSync(home.registry, 'utf8');
    const edited = text.replace('[services.side]\ndependencies = []', '[services.side]\ndependencies = ["db"]');
    expect(edited).not.toBe(text);
    writeFileSync(home.registry, edited);

    const { code, stdout } = await home.run(['platform', 'update']);
    expect(code).toBe(0);
    expect(stdout).toContain('changed  none');
    expect(stdout).toContain('nothing restarted');
    expect(pids()).toEqual(running);
    expect((await client.call('status')).map((s) => [s.name, s.state, s.restarts])).toEqual(before.map((s) => [s.name, 'healthy', s.restarts]));
    expect(await Promise.all(NAMES.map(lifecycleLines))).toEqual(lines);
    expect(transitions.filter((s) => s.state !== 'healthy').map((s) => `${s.name} ${s.state}`)).toEqual([]);
    // The running engine has the new edge: stopping db now takes side with it.
    const { plan } = await client.call('platformStop', { names: ['db'] });
    expect(plan).toContain('side');
    expect((await client.call('platformStart', { names: NAMES })).steps.every((s) => s.outcome === 'done' || s.outcome === 'skipped')).toBe(true);
  }, 60_000);

  it('restarts exactly the service whose command changed, and of what needs it what its policy says', async () => {
    await waitFor(allHealthy);
    const running = pids();
    const text = readFileSync(home.registry, 'utf8');
    // api's command: its readiness delay argument (0 → 10 ms).
    const edited = text.replace('/api.ready","0"]', '/api.ready","10"]');
    expect(edited).not.toBe(text);
    writeFileSync(home.registry, edited);

    const { code, stdout } = await home.run(['platform', 'update']);
    expect(code).toBe(0);
    expect(stdout).toContain('changed  api\n');
    await waitFor(allHealthy);
    const after = pids();
    expect(after['api']).toHaveLength(1);
    expect(after['api']).not.toEqual(running['api']);
    expect(after['restarts']).toHaveLength(1);
    expect(after['restarts']).not.toEqual(running['restarts']);
    expect(after['stops']).toHaveLength(1);
    expect(after['stops']).not.toEqual(running['stops']);
    for (const unchanged of ['db', 'keeps', 'side']) expect(after[unchanged], unchanged).toEqual(running[unchanged]);
  }, 60_000);
});
