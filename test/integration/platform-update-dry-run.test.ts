/**
 * `provisioning platform update --dry-run` (issue 20, item 7) as a real CLI against a real owner:
 * it prints what the update would stop, restart, add and remove — in words and as `--json` — and
 * changes nothing (the same process keeps running, the removed one too, the added one is not
 * defined in the running engine) until `platform update` itself runs.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { delayedRegistry, type DelayedService } from '../support/delayed-services';

const dir = tempDir('pcc-update-dry-');
const registry = (services: Record<string, DelayedService>) => delayedRegistry(services, dir).text;

let home: Home;

beforeAll(async () => {
  home = privateHome(registry({ edited: {}, idle: {}, gone: {} }));
  expect((await home.run(['platform', 'start', 'edited', 'gone'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await home?.cleanup();
});

describe('platform update --dry-run', () => {
  it('prints what the update would do and changes nothing', async () => {
    const [edited, gone] = [home.processes('edited')[0], home.processes('gone')[0]];
    writeFileSync(home.registry, registry({ edited: { delay: 10 }, idle: { delay: 10 }, fresh: {} }));

    const text = await home.run(['platform', 'update', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'would stop gone (removed from the file, running)',
      'would restart edited (changed in the file, running)',
      'would add fresh (not started)',
      'would remove gone',
      'redefined idle (changed, not running: nothing to restart)',
      'dry run: nothing changed; `provisioning platform update` applies it',
      '',
    ]);
    const json = await home.run(['--json', 'platform', 'update', '--dry-run']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      added: ['fresh'],
      removed: ['gone'],
      changed: ['edited', 'idle'],
      stop: ['gone'],
      restart: ['edited'],
      issues: [],
    });

    // Nothing was applied: the same processes run, and the engine still runs the old file.
    expect(home.processes('edited')[0]).toBe(edited);
    expect(home.processes('gone')[0]).toBe(gone);
    const status = JSON.parse((await home.run(['--json', 'services', 'status'])).stdout) as { name: string }[];
    expect(status.map((s) => s.name)).toEqual(['edited', 'idle', 'gone']);

    // The real update does what the dry run said.
    const applied = await home.run(['--json', 'platform', 'update']);
    expect(JSON.parse(applied.stdout)).toMatchObject({ added: ['fresh'], removed: ['gone'], changed: ['edited', 'idle'] });
    expect(home.processes('gone')).toEqual([]);
    expect(home.processes('edited')[0]).not.toBe(edited);
  }, 60_000);
});
