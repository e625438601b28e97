/**
 * `provisioning platform watch` through the real CLI and its daemon: watching is off until it runs,
 * on while it runs (each trigger printed), and off again when it ends — by Ctrl-C, or by its
 * connection ending (SIGKILL) — so a later change restarts nothing (shown by a positive control).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { privateHomes, type Home } from '../support/cli-process';
import { freePort, waitFor } from '../support/engine-harness';
import { demoService } from '../support/watch-harness';

const homes = privateHomes('');
afterEach(() => homes.cleanup());

const statusOf = async (home: Home): Promise<ServiceStatus> => JSON.parse((await home.run(['services', 'status', 'api', '--json'])).stdout) as ServiceStatus;
const write = (home: Home, path: string) => {
  const file = join(dirname(home.registry), path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${Math.random()}\n`);
};

/** A `platform watch` session, once it says it is watching. */
async function watchSession(home: Home) {
  const session = home.spawnPiped(['platform', 'watch', 'api']);
  await waitFor(() => session.stderr().includes('watching api'));
  return session;
}

describe('platform watch', () => {
  it('turns watching on for as long as it runs, prints each trigger, and off on Ctrl-C or a lost connection', async () => {
    const home = homes.create(demoService('api', await freePort(), 'watch = { paths = ["src/**"], debounce = "100ms" }'));
    write(home, 'src/app.js');
    expect((await home.run(['services', 'start', 'api'])).code).toBe(0);
    const first = await statusOf(home);
    expect(first.watch).toEqual({ on: false });

    const session = await watchSession(home);
    expect((await statusOf(home)).watch).toMatchObject({ on: true });
    write(home, 'src/app.js');
    await waitFor(() => session.stdout().includes('api watch: src/app.js changed → restart'));
    const second = await waitFor(async () => {
      const now = await statusOf(home);
      return now.state === 'healthy' && now.pid !== first.pid && now;
    });
    await waitFor(() => session.stdout().includes('api healthy:'));
    session.child.kill('SIGINT');
    expect(await session.exited).toBe(0);
    expect(session.stderr()).toContain('watching is off');
    expect((await statusOf(home)).watch).toMatchObject({ on: false, lastTrigger: { file: 'src/app.js' } });

    // Off: this change is not seen. The next session's change is the positive control.
    write(home, 'src/while-off.js');
    const killed = await watchSession(home);
    killed.child.kill('SIGKILL');
    await killed.exited;
    await waitFor(async () => (await statusOf(home)).watch?.on === false);
    write(home, 'src/also-off.js');

    const control = await watchSession(home);
    write(home, 'src/control.js');
    await waitFor(() => control.stdout().includes('api watch: src/control.js changed → restart'));
    control.child.kill('SIGINT');
    await control.exited;
    expect((await home.run(['platform', 'watch', 'nope'])).stderr).toContain("unknown service 'nope'");
    // Exactly two triggers ever: the first session's and the control's; the changes while off made none.
    await waitFor(() => triggersOf(home).includes('src/control.js'));
    expect(triggersOf(home)).toEqual(['src/app.js', 'src/control.js']);
    expect(second.pid).not.toBe(first.pid);
  });
});

/** The files of the api's watch triggers in the owner's kept timeline, oldest first. */
function triggersOf(home: Home): string[] {
  const lines = readFileSync(join(home.home, 'services', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { service: string; watch?: { file: string } })
    .flatMap((e) => (e.service === 'api' && e.watch ? [e.watch.file] : []));
}
