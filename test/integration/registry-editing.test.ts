/**
 * The graph view's requests on a real owner (the daemon, over its local socket): the registry graph,
 * live validation, dependency edits written back keeping the file's comments, a cycle refused with
 * the file untouched, changes on disk pushed to subscribers, and settings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToOwner, type OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { nodeService, waitFor } from '../support/engine-harness';

const idle = ['-e', 'setInterval(() => {}, 1000)'];
const REGISTRY = `# a registry with comments the editor must keep
${nodeService('api', idle)}
${nodeService('web', idle, 'dependencies = ["api"] # web needs the api')}
${nodeService('worker', idle)}`;

let home: Home;
let client: OwnerClient;

beforeAll(async () => {
  home = privateHome(REGISTRY);
  client = await connectToOwner({
    home: home.home,
    registryPath: home.registry,
    env: { ...process.env, PROVISIONING_HOME: home.home, PROVISIONING_CONFIG: home.registry },
    cli: join(process.cwd(), 'bin', 'provisioning.js'),
  });
}, 20_000);
afterAll(async () => {
  client.close();
  await home.cleanup();
});

describe('the registry over the contract', () => {
  it('serves the graph of the file', async () => {
    const graph = await client.call('graph');
    expect(graph.issues).toEqual([]);
    expect(graph.services?.map((s) => [s.name, s.mode, s.dependencies])).toEqual([
      ['api', 'binary', []],
      ['web', 'binary', ['api']],
      ['worker', 'binary', []],
    ]);
  });

  it('validates a text without writing it, with located errors', async () => {
    const issues = await client.call('validateRegistry', { text: REGISTRY.replace('dependencies = ["api"]', 'dependencies = ["nope"]') });
    expect(issues).toMatchObject([{ severity: 'error', line: expect.any(Number), column: expect.any(Number), path: ['services', 'web', 'dependencies', 0] }]);
    expect(issues[0]!.message).toContain("unknown service 'nope'");
    expect(readFileSync(home.registry, 'utf8')).toBe(REGISTRY);
  });

  it('adds a dependency in the file, keeping every other byte, and the engine follows', async () => {
    const changes: number[] = [];
    client.onRegistryChanged((changed) => changes.push(changed));
    await client.call('subscribe');
    const graph = await client.call('editDependency', { service: 'worker', dependency: 'web', action: 'add' });
    expect(graph.services?.find((s) => s.name === 'worker')?.dependencies).toEqual(['web']);
    const text = readFileSync(home.registry, 'utf8');
    const inserted = text.split('\n').filter((line) => !REGISTRY.split('\n').includes(line));
    expect(inserted).toEqual(['dependencies = ["web"]']);
    expect(text.replace('dependencies = ["web"]\n', '')).toBe(REGISTRY);
    await waitFor(() => changes.length > 0);
    // The running engine took the edit: starting worker starts what it now needs.
    await client.call('platformStart', { names: ['worker'] });
    expect((await client.call('status')).filter((s) => s.state === 'healthy').map((s) => s.name)).toEqual(['api', 'web', 'worker']);
    await client.call('platformStop', { names: [] });
  }, 20_000);

  it('gives the running engine the dependency change alone: other hand edits of the file wait for update', async () => {
    await client.call('start', { name: 'api' });
    const pid = (await client.call('status')).find((s) => s.name === 'api')!.pid;
    const text = readFileSync(home.registry, 'utf8');
    // A configuration change by hand, not yet applied: an edge drawn now must not restart api for it.
    writeFileSync(home.registry, `${text}\n[services.api.startup]\nstop_timeout = "3s"\n`);
    await client.call('editDependency', { service: 'worker', dependency: 'api', action: 'add' });
    const api = (await client.call('status')).find((s) => s.name === 'api')!;
    expect([api.state, api.pid]).toEqual(['healthy', pid]);
    await client.call('editDependency', { service: 'worker', dependency: 'api', action: 'remove' });
    writeFileSync(home.registry, text);
    await client.call('stop', { name: 'api', force: true });
  });

  it('refuses a cycle with the cycle named and the file untouched, then removes an edge', async () => {
    const before = readFileSync(home.registry, 'utf8');
    await expect(client.call('editDependency', { service: 'api', dependency: 'worker', action: 'add' })).rejects.toThrow(
      /api depending on worker would make the registry invalid; nothing changed:\n.*cycle: api → worker → web → api/,
    );
    expect(readFileSync(home.registry, 'utf8')).toBe(before);
    await client.call('editDependency', { service: 'web', dependency: 'api', action: 'remove' });
    expect(readFileSync(home.registry, 'utf8')).toContain('dependencies = [] # web needs the api');
  });

  it('reports a file that became invalid on disk, and its located errors', async () => {
    const good = readFileSync(home.registry, 'utf8');
    const pushes: number[] = [];
    client.onRegistryChanged((changed) => pushes.push(changed));
    writeFileSync(home.registry, `${good}\n[services.broken]\norder = "first"\n`);
    await waitFor(() => pushes.length > 0);
    const graph = await client.call('graph');
    expect(graph.services).toBeNull();
    const header = good.split('\n').length + 1;
    expect(graph.issues.map((i) => `${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`)).toEqual([
      `${header}:1 services.broken.deployment: required`,
      `${header + 1}:1 services.broken.order: expected a number, got a string`,
    ]);
    await expect(client.call('editDependency', { service: 'web', dependency: 'api', action: 'add' })).rejects.toThrow(/must be fixed before it is edited/);
    writeFileSync(home.registry, good);
  });

  it('keeps settings, and refuses a registry path that would not load', async () => {
    expect(await client.call('settings')).toEqual({ theme: 'system', closeToTray: true, stopOnQuit: 'ask', registryPath: null, webTerminals: false });
    expect(await client.call('updateSettings', { theme: 'dark', stopOnQuit: 'never' })).toMatchObject({ theme: 'dark', stopOnQuit: 'never' });
    const broken = join(home.home, 'broken.toml');
    writeFileSync(broken, '[services.x]\norder = -1\n');
    await expect(client.call('updateSettings', { registryPath: broken })).rejects.toThrow(/broken.toml:2:1 services.x.order: must be at least 0, got -1/);
    await expect(client.call('updateSettings', { registryPath: 'relative.toml' })).rejects.toThrow(/must be absolute/);
    // A change of one setting leaves the others as they were.
    expect(await client.call('updateSettings', { closeToTray: false })).toEqual({
      theme: 'dark',
      closeToTray: false,
      stopOnQuit: 'never',
      registryPath: null,
      webTerminals: false,
    });
    expect(JSON.parse(readFileSync(join(home.home, 'settings.json'), 'utf8'))).toEqual({
      theme: 'dark',
      closeToTray: false,
      stopOnQuit: 'never',
      registryPath: null,
      webTerminals: false,
    });
  });
});
