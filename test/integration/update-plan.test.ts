/**
 * `updatePlan` (issue 20, drift): through a real owner, what `platform update` would do with the file
 * as it is on disk now — added, removed, changed, and of those the running ones it would stop or
 * restart — while nothing changes until `update` itself runs; a file that is not valid plans nothing
 * and names its located issues.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { delayedRegistry, type DelayedService } from '../support/delayed-services';
import { ownerOf } from '../support/home-client';

const dir = tempDir('pcc-update-plan-');
const registry = (services: Record<string, DelayedService>) => delayedRegistry(services, dir).text;
const FIRST = { edited: {}, idle: {}, gone: {} };

let home: Home;
let client: OwnerClient;

beforeAll(async () => {
  home = privateHome(registry(FIRST));
  client = await ownerOf(home);
  expect((await home.run(['platform', 'start', 'edited', 'gone'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  client?.close();
  await home?.cleanup();
});

describe('updatePlan', () => {
  it('plans nothing while the file matches what runs', async () => {
    expect(await client.call('updatePlan', {})).toEqual({ added: [], removed: [], changed: [], stop: [], restart: [], issues: [] });
  });

  it('says what the update would stop and restart, and changes nothing until the update runs', async () => {
    const pid = home.processes('edited')[0];
    expect(pid).toBeGreaterThan(0);
    // edited's and idle's args change (their readiness delay); gone leaves; fresh arrives.
    writeFileSync(home.registry, registry({ edited: { delay: 10 }, idle: { delay: 10 }, fresh: {} }));

    const plan = await client.call('updatePlan', {});
    expect(plan).toEqual({ added: ['fresh'], removed: ['gone'], changed: ['edited', 'idle'], stop: ['gone'], restart: ['edited'], issues: [] });
    // Asking twice is the same answer: the plan applied nothing.
    expect(await client.call('updatePlan', {})).toEqual(plan);
    expect(home.processes('edited')[0]).toBe(pid);
    expect(home.processes('gone').length).toBeGreaterThan(0);
    expect((await client.call('status')).map((s) => `${s.name} ${s.state}`)).toEqual(['edited healthy', 'idle stopped', 'gone healthy']);

    const report = await client.call('update', {});
    expect(report).toMatchObject({ added: ['fresh'], removed: ['gone'], changed: ['edited', 'idle'] });
    expect(report.start?.plan).toEqual(['edited']);
    const restarted = home.processes('edited')[0];
    expect(restarted).toBeGreaterThan(0);
    expect(restarted).not.toBe(pid);
    expect(home.processes('gone')).toEqual([]);
    // Applied: no drift is left.
    expect(await client.call('updatePlan', {})).toEqual({ added: [], removed: [], changed: [], stop: [], restart: [], issues: [] });
  }, 60_000);

  it('plans nothing for a file that is not valid, and names where it is wrong', async () => {
    writeFileSync(home.registry, `${registry({ edited: { delay: 10 }, idle: { delay: 10 }, fresh: {} })}\n[services.broken]\ndependencies = 7\n`);
    const plan = await client.call('updatePlan', {});
    expect(plan).toMatchObject({ added: [], removed: [], changed: [], stop: [], restart: [] });
    expect(plan.issues.filter((issue) => issue.severity === 'error').length).toBeGreaterThan(0);
    expect(plan.issues[0]!.line).toBeGreaterThan(0);
  });
});
