/**
 * Whatever is in the way in the state folder — a directory where a record goes, a file where
 * `state/` goes — costs only what it holds: the home opens, every service runs, and the user is told
 * what was set aside, in `services status` as well as the daemon's log.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { DEMO, harness, harnesses, nodeService } from '../support/engine-harness';

const { track } = harnesses();

const text = [nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']), nodeService('api', [join(DEMO, 'service.mjs'), '--name', 'api'])].join('\n');

const stateDir = (home: string) => join(home, 'services', 'state');
const record = (home: string, name: string) => JSON.parse(readFileSync(join(stateDir(home), `${name}.json`), 'utf8')) as { process?: { pid: number } };
const asideOf = (dir: string, name: string) => readdirSync(dir).filter((f) => f.startsWith(`${name}.corrupt-`));

describe('state faults', () => {
  it('a directory where a record goes is set aside with a warning; every service starts and is recorded', async () => {
    const home = tempDir('pcc-engine-');
    mkdirSync(join(stateDir(home), 'api.json', 'inside'), { recursive: true });
    const h = track(await harness(text, home));
    expect(h.engine.warnings).toEqual([
      expect.stringMatching(
        /^state of 'api' was a directory, not a file, and was moved to .*api\.json\.corrupt-\d+-\d+; its processes are found by their markers instead$/,
      ),
    ]);
    const [web, api] = [await h.engine.start('web'), await h.engine.start('api')];
    expect([web.state, api.state]).toEqual(['healthy', 'healthy']);
    expect(record(home, 'api').process?.pid).toBe(api.pid);
    const [aside] = asideOf(stateDir(home), 'api.json');
    expect(readdirSync(join(stateDir(home), aside!))).toEqual(['inside']);
  });

  it('a file where state/ goes is set aside with a warning, kept as it was, and the home runs', async () => {
    const home = tempDir('pcc-engine-');
    mkdirSync(join(home, 'services'), { recursive: true });
    writeFileSync(stateDir(home), 'not a directory\n');
    const h = track(await harness(text, home));
    expect(h.engine.warnings).toEqual([
      expect.stringMatching(
        /\/services\/state was a file, not a directory, and was moved to .*\/state\.corrupt-\d+-\d+; its processes are found by their markers instead$/,
      ),
    ]);
    const api = await h.engine.start('api');
    expect(api.state).toBe('healthy');
    expect(statSync(stateDir(home)).isDirectory()).toBe(true);
    expect(record(home, 'api').process?.pid).toBe(api.pid);
    const [aside] = asideOf(join(home, 'services'), 'state');
    expect(readFileSync(join(home, 'services', aside!), 'utf8')).toBe('not a directory\n');
  });

  it('directories that appear where a record and a pid file go while it runs are set aside at the next write', async () => {
    const h = track(await harness(text));
    mkdirSync(join(stateDir(h.home), 'api.json'));
    mkdirSync(join(h.home, 'services', 'pids', 'api.pid'));
    const api = await h.engine.start('api');
    expect(api.state).toBe('healthy');
    expect(record(h.home, 'api').process?.pid).toBe(api.pid);
    expect(readFileSync(join(h.home, 'services', 'pids', 'api.pid'), 'utf8')).toBe(`${api.pid}\n`);
    expect(h.engine.warnings).toEqual([
      expect.stringMatching(/^a directory stood where the state of 'api' goes \(.*api\.json\) and was moved to .*api\.json\.corrupt-\d+-\d+$/),
      expect.stringMatching(/^a directory stood where the state of 'api' goes \(.*api\.pid\) and was moved to .*api\.pid\.corrupt-\d+-\d+$/),
    ]);
    const stopped = await h.engine.stop('api');
    expect(stopped.state).toBe('stopped');
  });

  it('a FIFO where a record goes is set aside without being opened for reading; the home runs', async () => {
    const home = tempDir('pcc-engine-');
    mkdirSync(stateDir(home), { recursive: true });
    execFileSync('mkfifo', [join(stateDir(home), 'web.json')]);
    // Before: a blocking read of the FIFO waited for a writer forever and the engine never opened.
    const opened = await Promise.race([harness(text, home), new Promise<undefined>((resolve) => setTimeout(resolve, 15_000, undefined))]);
    expect(opened, 'the engine did not open').toBeDefined();
    const h = track(opened!);
    expect(h.engine.warnings).toEqual([
      expect.stringMatching(
        /^state of 'web' was a FIFO \(named pipe\), not a file, and was moved to .*web\.json\.corrupt-\d+-\d+; its processes are found by their markers instead$/,
      ),
    ]);
    expect((await h.engine.start('web')).state).toBe('healthy');
    expect(record(home, 'web').process?.pid).toBeDefined();
  });

  it('a home that cannot hold a services folder fails with what to do, not a bare file system error', async () => {
    const file = join(tempDir('pcc-engine-'), 'a-file');
    writeFileSync(file, 'not a folder\n');
    // Before: "ENOTDIR: not a directory, mkdir …" from deep inside.
    await expect(harness(text, join(file, 'home'))).rejects.toThrow(
      /^cannot use .*a-file\/home for the services' state \(ENOTDIR: .*\): make it a folder you own, or choose another home with PROVISIONING_HOME$/,
    );
  });

  describe('services status', () => {
    let h: Home | undefined;
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });

    it('says what was set aside, not only the daemon log', async () => {
      h = privateHome(text);
      mkdirSync(stateDir(h.home), { recursive: true });
      writeFileSync(join(stateDir(h.home), 'web.json'), '{"name": "web", "desi');
      const table = await h.run(['services', 'status']);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^web\s+stopped/m);
      expect(table.stderr).toMatch(
        /^warning: state of 'web' was unreadable and was moved to .*web\.json\.corrupt-\d+-\d+; its processes are found by their markers instead$/m,
      );
      const json = await h.run(['platform', 'status', '--json']);
      expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toEqual([expect.stringMatching(/^state of 'web' was unreadable/)]);
    });
  });
});
