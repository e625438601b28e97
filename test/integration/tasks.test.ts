/**
 * Tasks and dependency conditions (issue 17, item 5), through the real CLI and its daemon: a task
 * that exits 0 is `completed` and lets what needs it (`condition = "completed"`) start; one that
 * exits 3 blocks it with the code, and `services why` quotes the code and the task's last lines; a
 * `started` dependency lets its dependent launch before it is healthy.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { nodeService } from '../support/engine-harness';

const dir = tempDir('pcc-tasks-');
/** Written by `eager` once it runs: `slow` is healthy only after that, so `eager` cannot wait for slow's health. */
const eagerRan = join(dir, 'eager.ran');
const forever = 'setInterval(() => {}, 1000)';
const REGISTRY = [
  nodeService('migrate', ['-e', 'console.log("applied 3 migrations")'], 'kind = "task"'),
  nodeService('app', ['-e', forever], 'dependencies = [{ name = "migrate", condition = "completed" }]'),
  nodeService('broken', ['-e', 'console.error("schema error: column x exists"); process.exit(3)'], 'kind = "task"', 'restart = "no"'),
  nodeService('needs-broken', ['-e', forever], 'dependencies = [{ name = "broken", condition = "completed" }]'),
  nodeService('slow', ['-e', forever], '', 'timeout = "60s"'),
  `[services.slow.health_check]\ntype = "file"\ninterval = "200ms"\ntimeout = "200ms"\nretries = 1\nfile = { path = ${JSON.stringify(eagerRan)} }\n`,
  nodeService(
    'eager',
    ['-e', `require("fs").writeFileSync(${JSON.stringify(eagerRan)}, "ok"); ${forever}`],
    'dependencies = [{ name = "slow", condition = "started" }]',
  ),
].join('\n');

let home: Home;
beforeAll(() => {
  home = privateHome(REGISTRY);
});
afterAll(async () => {
  await home?.cleanup();
});

const statuses = async () => new Map((JSON.parse((await home.run(['services', 'status', '--json'])).stdout) as ServiceStatus[]).map((s) => [s.name, s]));

describe('tasks and dependency conditions', () => {
  it('a task that exits 0 is completed, and what needs it completed starts', async () => {
    const { code, stdout, stderr } = await home.run(['platform', 'start', 'app']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^\S+ migrate completed · completed: exited with code 0 after /m);
    const now = await statuses();
    expect(now.get('migrate')).toMatchObject({ state: 'completed', lastExit: { code: 0 } });
    expect(now.get('migrate')!.pid).toBeUndefined();
    // Completed is serving: app is healthy, not degraded by a dependency that no longer runs.
    expect(now.get('app')!.state).toBe('healthy');
    const tree = await home.run(['services', 'dependencies', 'app']);
    expect(tree.stdout.split('\n').slice(0, 2)).toEqual(['app', '└── migrate (task) [completed]']);
  }, 60_000);

  it('a task that exits 3 blocks what needs it, with the code and its last lines', async () => {
    const start = await home.run(['platform', 'start', 'needs-broken']);
    expect(start.code).toBe(1);
    const now = await statuses();
    expect(now.get('broken')).toMatchObject({ state: 'failed', lastExit: { code: 3 } });
    expect(now.get('broken')!.logTail).toContain('schema error: column x exists');
    expect(now.get('needs-broken')!.state).toBe('blocked');
    expect(now.get('needs-broken')!.reason).toContain('code 3');
    expect(home.processes('needs-broken')).toEqual([]);
    const why = await home.run(['services', 'why', 'needs-broken']);
    expect(why.stdout.split('\n')[0]).toMatch(/^needs-broken is blocked: .*broken.*code 3/);
    expect(why.stdout).toContain('← needs broken is failed: exited with code 3');
    expect(why.stdout).toMatch(/root cause: broken\n.*│ schema error: column x exists/);
  }, 60_000);

  it('a started dependency lets its dependent launch before it is healthy', async () => {
    // slow is healthy only once eager has run: waiting for slow's health would time out.
    const { code, stderr } = await home.run(['platform', 'start', 'eager']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const now = await statuses();
    expect(now.get('slow')!.state).toBe('healthy');
    expect(now.get('eager')!.state).toBe('healthy');
  }, 90_000);
});
