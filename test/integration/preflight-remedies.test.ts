/**
 * Preflight remedies (issue 20, item 7) through a real owner: a service whose dependency is stopped
 * is offered "start <dependency>"; one whose port is held by another of our running services is
 * offered "stop <that service>" — and doing what they say clears them. A port held by a stranger
 * offers no service to stop, only that outside process.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readiness } from '@shared/contract/health';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { freePort, nodeService, waitFor } from '../support/engine-harness';
import { ownerOf } from '../support/home-client';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const listener = (port: number) => ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1')`];

let home: Home;
let client: OwnerClient;
let stranger: Server;
let shared: number;
let foreign: number;

beforeAll(async () => {
  [shared, foreign] = [await freePort(), await freePort()];
  home = privateHome(
    [
      nodeService('db', sleeper),
      nodeService('app', sleeper, 'dependencies = ["db"]'),
      // holder listens on the port without declaring it (the registry refuses two services declaring one port).
      nodeService('holder', listener(shared)),
      nodeService('wants', sleeper, `ports = [${shared}]`),
      nodeService('elsewhere', sleeper, `ports = [${foreign}]`),
    ].join('\n'),
  );
  client = await ownerOf(home);
  stranger = createServer().listen(foreign, '127.0.0.1');
  expect((await home.run(['platform', 'start', 'holder'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  stranger?.close();
  client?.close();
  await home?.cleanup();
});

const rowOf = async (name: string): Promise<Readiness> => (await client.call('readiness', {})).find((row) => row.name === name)!;

describe('preflight remedies', () => {
  it('offers to start a stopped dependency, and starting it clears the remedy', async () => {
    expect((await rowOf('app')).remedies).toEqual([{ action: 'start', service: 'db' }]);
    expect((await client.call('platformStart', { names: ['db'] })).steps.map((s) => s.outcome)).toEqual(['done']);
    expect((await rowOf('app')).remedies).toBeUndefined();
  });

  it('offers to stop our service that holds the port, and stopping it clears the refusal', async () => {
    // The listener is up once preflight sees the port taken.
    const wants = await waitFor(async () => {
      const row = await rowOf('wants');
      return row.verdict === 'blocked' && row;
    });
    expect(wants.reasons.some((r) => r.startsWith(`port ${shared}/tcp is taken`) && r.includes('service holder'))).toBe(true);
    expect(wants.remedies).toEqual([{ action: 'stop', service: 'holder' }]);
    await client.call('stop', { name: 'holder', force: false });
    expect(await rowOf('wants')).toEqual({ name: 'wants', verdict: 'would start', reasons: [] });
  });

  it('offers no service to stop for a port a stranger holds, only that process (stopped once a person confirms: port-holder-stop.test.ts)', async () => {
    const row = await rowOf('elsewhere');
    expect(row.verdict).toBe('blocked');
    // The stranger is this test's own process, of the owner's user.
    expect(row.remedies).toMatchObject([{ action: 'stop-process', port: foreign, protocol: 'tcp', pid: process.pid }]);
  });
});
