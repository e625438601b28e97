/**
 * A personal override file through the real CLI and daemon: `services.local.toml` beside the
 * registry changes one service's port and disables another; the merged registry is what starts,
 * what the graph and status show, and `services list` says what the override set. An error in the
 * override is located at its own line; a graph edit writes the file whose list is in force.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src-shared/contract/service-state';
import { privateHome, type Home } from '../support/cli-process';
import { freePort, nodeService } from '../support/engine-harness';

const homes: Home[] = [];
afterEach(async () => Promise.all(homes.splice(0).map((h) => h.cleanup())));

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const server = (port: number) => ['-e', `require('node:http').createServer((q, s) => s.end('api')).listen(${port}, '127.0.0.1')`];
const check = (port: number) =>
  `[services.api.health_check]\ntype = "http"\ninterval = "200ms"\ntimeout = "150ms"\nhttp = { url = "http://127.0.0.1:${port}/" }\n`;

function base(port: number): string {
  return [
    nodeService('db', sleeper, 'auto_start = true'),
    nodeService('cache', sleeper, 'auto_start = true'),
    nodeService('api', server(port), `auto_start = true\ndependencies = ["db"]\nports = [${port}]`),
    check(port),
  ].join('');
}

function override(port: number): string {
  return [
    '# my machine: api on another port, no cache',
    '[services.cache]',
    'enabled = false',
    '',
    '[services.api]',
    `ports = [${port}]`,
    `deployment.binary.args = ${JSON.stringify(server(port))}`,
    `health_check.http.url = "http://127.0.0.1:${port}/"`,
    '',
  ].join('\n');
}

async function statuses(h: Home): Promise<ServiceStatus[]> {
  const { stdout } = await h.run(['services', 'status', '--json']);
  return JSON.parse(stdout) as ServiceStatus[];
}

describe('override file', () => {
  it('services.local.toml changes a port and disables a service; the merged registry drives start, graph and status', async () => {
    const [basePort, localPort] = [await freePort(), await freePort()];
    const h = privateHome(base(basePort));
    homes.push(h);
    const local = join(dirname(h.registry), 'services.local.toml');
    writeFileSync(local, override(localPort));

    const list = await h.run(['services', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toMatch(/^cache /m);
    expect(list.stdout).toContain(`${local} overrides: api (ports, deployment.binary.args, health_check.http.url); cache disabled`);

    const start = await h.run(['platform', 'start']);
    expect(start.code).toBe(0);
    expect((await statuses(h)).map((s) => [s.name, s.state])).toEqual([
      ['db', 'healthy'],
      ['api', 'healthy'],
    ]);
    expect(await (await fetch(`http://127.0.0.1:${localPort}/`)).text()).toBe('api');
    expect(h.processes('cache')).toEqual([]);

    const graph = await h.run(['services', 'dependencies', '--format', 'dot']);
    expect(graph.stdout).not.toContain('cache');
    expect(graph.stdout).toMatch(/"api" -> "db"/);

    // api's dependencies are the registry's: the edit goes there, and says so.
    const edit = await h.run(['services', 'dependencies', 'api', '--add', 'db']);
    expect(edit.stdout).toContain('api already depends on db; nothing changed');
    const removed = await h.run(['services', 'dependencies', 'api', '--remove', 'db']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`wrote ${h.registry}`);
    expect(readFileSync(h.registry, 'utf8')).toContain('dependencies = []');
    expect(readFileSync(local, 'utf8')).not.toContain('dependencies');
  });

  it('validate locates an error inside the override at its own line, and a dependency on a disabled service by the file that disabled it', async () => {
    const port = await freePort();
    const h = privateHome(base(port));
    homes.push(h);
    const local = join(dirname(h.registry), 'services.local.toml');
    writeFileSync(local, `[services.db]\nenabled = false\n\n[services.api]\norder = "first"\n`);

    const validate = await h.run(['services', 'validate']);
    expect(validate.code).toBe(1);
    const output = validate.stdout + validate.stderr;
    expect(output).toContain(`${local}:5:1 services.api.order: expected a number`);
    const dependencyLine =
      readFileSync(h.registry, 'utf8')
        .split('\n')
        .findIndex((line) => line.startsWith('dependencies = ["db"]')) + 1;
    expect(output).toContain(`${h.registry}:${dependencyLine}:17 services.api.dependencies[0]: 'db' is disabled (enabled = false in ${local})`);
    expect((await h.run(['platform', 'start'])).code).toBe(1);
    expect(h.processes('api')).toEqual([]);
  });

  it('--override replaces services.local.toml, and a dependency list an override wrote is edited there', async () => {
    const port = await freePort();
    const h = privateHome(base(port));
    homes.push(h);
    const folder = dirname(h.registry);
    writeFileSync(join(folder, 'services.local.toml'), '[services.cache]\nenabled = false\n');
    const mine = join(folder, 'mine.toml');
    writeFileSync(mine, '[services.api]\ndependencies = ["db", "cache"]\n');

    const list = await h.run(['--override', mine, 'services', 'list', '--json']);
    const listed = JSON.parse(list.stdout) as { services: { name: string; dependencies: string[] }[] };
    expect(listed.services.map((s) => s.name).sort()).toEqual(['api', 'cache', 'db']);
    expect(listed.services.find((s) => s.name === 'api')?.dependencies).toEqual(['db', 'cache']);

    const edit = await h.run(['--override', mine, 'services', 'dependencies', 'api', '--remove', 'cache']);
    expect(edit.stdout).toContain(`wrote ${mine}`);
    expect(readFileSync(mine, 'utf8')).toContain('dependencies = ["db"]');
    expect(readFileSync(h.registry, 'utf8')).toContain('dependencies = ["db"]\n');
  });
});
