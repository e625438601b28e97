/**
 * One service's watch on real inotify: changes that arrive while its action runs make exactly one
 * more run after it (never a pile of them), a tree larger than the engine's folder budget is
 * watched up to the budget and said once, naming the service and its pattern, and a watched folder
 * replaced or removed and made again is watched anew.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchSchema } from '@shared/model';
import { systemClock } from '../../src-main/core/supervisor/clock';
import { ServiceWatch, type Burst } from '../../src-main/core/watch/service-watch';
import { WatchBudget } from '../../src-main/core/watch/watch-budget';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

const opened: ServiceWatch[] = [];
afterEach(() => opened.splice(0).forEach((watch) => watch.close()));

function serviceWatch(dir: string, config: object, run: (burst: Burst) => Promise<void>, budget = new WatchBudget(), warnings: string[] = []) {
  const watch = new ServiceWatch({
    name: 'api',
    config: watchSchema.parse(config),
    registryDir: dir,
    budget,
    clock: systemClock,
    run,
    warn: (m) => warnings.push(m),
  });
  opened.push(watch);
  return watch;
}

const write = (dir: string, path: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), `${Math.random()}\n`);
};

describe('service watch', () => {
  it('coalesces the changes made while its action runs into one more run after it', async () => {
    const dir = tempDir('pcc-watch-');
    write(dir, 'src/a.js');
    const runs: Burst[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const watch = serviceWatch(dir, { paths: ['src/**'], debounce: '50ms' }, async (burst) => {
      runs.push(burst);
      if (runs.length === 1) await blocked;
    });
    await watch.open();
    write(dir, 'src/a.js');
    await waitFor(() => runs.length === 1);
    // While the first run is held: three bursts, each given time to settle (each its own debounce).
    for (const file of ['src/b.js', 'src/c.js', 'src/d.js']) {
      write(dir, file);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(runs).toHaveLength(1);
    release();
    await waitFor(() => runs.length === 2);
    // A later change is the positive control: had more runs been queued, they would come before it.
    write(dir, 'src/control.js');
    await waitFor(() => runs.length === 3);
    expect(runs).toEqual([
      { first: 'src/a.js', count: 1 },
      { first: 'src/b.js', count: 3 },
      { first: 'src/control.js', count: 1 },
    ]);
  });

  it('watches a watched folder anew when it is replaced by renames or removed and made again', async () => {
    const dir = tempDir('pcc-watch-');
    write(dir, 'src/lib/a.js');
    // The replacements hold folders only: their files would count as changed, and each step looks for one file.
    mkdirSync(join(dir, 'src.new', 'lib'), { recursive: true });
    mkdirSync(join(dir, 'lib.new'));
    const runs: Burst[] = [];
    const watch = serviceWatch(dir, { paths: ['src/**'], debounce: '50ms' }, async (burst) => {
      runs.push(burst);
    });
    await watch.open();
    const ranFor = (file: string) => waitFor(() => runs.some((run) => run.first === file), 10_000);
    // The root, as `mv src src.old && mv src.new src` (or a git checkout) replaces it. Before: the
    // watchers kept following the old folder, and nothing below the new one ever triggered.
    renameSync(join(dir, 'src'), join(dir, 'src.old'));
    renameSync(join(dir, 'src.new'), join(dir, 'src'));
    write(dir, 'src/lib/b.js');
    await ranFor('src/lib/b.js');
    // A folder below it, replaced the same way.
    renameSync(join(dir, 'src', 'lib'), join(dir, 'lib.old'));
    renameSync(join(dir, 'lib.new'), join(dir, 'src', 'lib'));
    write(dir, 'src/lib/c.js');
    await ranFor('src/lib/c.js');
    // The root removed, then made again: it is waited for from its parent.
    rmSync(join(dir, 'src'), { recursive: true });
    await waitFor(() => watch.folders === 1, 10_000);
    write(dir, 'src/d.js');
    await ranFor('src/d.js');
  });

  it('watches at most its budget of folders and says so once, naming the service and pattern', async () => {
    const dir = tempDir('pcc-watch-');
    for (const sub of ['a', 'b', 'c', 'd', 'e']) mkdirSync(join(dir, 'src', sub), { recursive: true });
    const warnings: string[] = [];
    const budget = new WatchBudget(3);
    const watch = serviceWatch(dir, { paths: ['src/**'] }, async () => {}, budget, warnings);
    await watch.open();
    expect(watch.folders).toBe(3);
    expect(budget.used).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^watch of 'api' \(src\/\*\*\): 3 folders are watched, the most one engine watches; .+ and what is below it are not — narrow its paths or add ignore rules$/,
    );
    watch.close();
    expect(budget.used).toBe(0);
  });
});
