/**
 * `why` and `events` through the contract (issue 20), on a real daemon: with something else
 * listening on the root service's port, the root is blocked by its own preflight refusal naming
 * the holder's pid and command, its dependent's why leads to it as the root cause (chain, root,
 * refusal of its own start), and the timeline has an entry for each of them.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { freePort, nodeService } from '../support/engine-harness';
import { ownerOf } from '../support/home-client';

let home: Home;
let client: OwnerClient;
let holder: Server;

beforeAll(async () => {
  const port = await freePort();
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  home = privateHome(
    [
      nodeService('root', ['-e', 'setInterval(() => {}, 1000)'], `ports = [${port}]`),
      nodeService('top', ['-e', 'setInterval(() => {}, 1000)'], 'dependencies = ["root"]'),
    ].join('\n'),
  );
  client = await ownerOf(home);
}, 30_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
  holder?.close();
});

describe('why and events through the contract', () => {
  it('names the port holder at the root, and leads the dependent to it', async () => {
    const report = await client.call('platformStart', { names: ['top'] });
    expect(report.steps.find((s) => s.name === 'root')?.outcome).toBe('failed');

    const root = await client.call('why', { name: 'root' });
    expect(root.status.state).toBe('blocked');
    expect(root.roots).toEqual([]);
    expect(root.refusals?.join('\n')).toMatch(new RegExp(`port \\d+/tcp is taken by pid ${process.pid} \\(`));
    expect(root.lastStart?.step?.outcome).toBe('failed');

    const top = await client.call('why', { name: 'top' });
    expect(top.status.state).toBe('blocked');
    expect(top.roots).toEqual(['root']);
    expect(top.chains.map((chain) => chain.map((s) => `${s.name}:${s.state}`))).toEqual([['root:blocked']]);
    expect(top.chains[0]![0]!.reason).toContain(`pid ${process.pid}`);

    const events = await client.call('events', {});
    expect(events.map((e) => `${e.service}:${e.to}`)).toEqual(expect.arrayContaining(['root:blocked', 'top:blocked']));
    expect((await client.call('events', { service: 'root' })).every((e) => e.service === 'root')).toBe(true);
    await expect(client.call('why', { name: 'nope' })).rejects.toThrow(/unknown service 'nope'/);
  }, 60_000);
});
