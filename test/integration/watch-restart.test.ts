/**
 * The development loop on real processes and real inotify: a watched change restarts the service
 * (new process, in order, said in its log and timeline); with cascade its dependents follow once it
 * is healthy, once per burst; ignored paths never trigger (checked against a later positive change).
 * Order and causality only: nothing here depends on how fast the machine is.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StateEvent } from '@shared/contract/service-state';
import { formatIssue, parseRegistry } from '@shared/model';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { alive, freePort, waitFor } from '../support/engine-harness';
import { tempDir } from '../support/cli-run';
import { demoService, watchHarnesses } from '../support/watch-harness';

const open = watchHarnesses();

const triggers = (events: StateEvent[]) => events.filter((e) => e.transition?.watch).map((e) => e.transition!);
/** `service`'s states, in order, from the index `from` of the events on. */
const statesOf = (events: StateEvent[], service: string, from = 0) =>
  events
    .slice(from)
    .filter((e) => e.status.name === service && e.transition && !e.transition.watch)
    .map((e) => e.status.state);

/** inotify watches this process holds, as the kernel lists them. */
function inotifyWatches(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed since the listing
    }
    if (target !== 'anon_inode:inotify') continue;
    count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('inotify wd:')).length;
  }
  return count;
}

describe('watch', () => {
  it('restarts a binary service when a watched source file changes: a new process, in order, said in its log and timeline', async () => {
    const port = await freePort();
    const h = await open(demoService('api', port, 'watch = { paths = ["src/**"], debounce = "100ms" }'), ['src/app.js']);
    const first = await h.engine.start('api');
    expect(first.state).toBe('healthy');
    expect(h.engine.status()[0]!.watch).toEqual({ on: false });
    expect(await h.engine.watch(['api'], true)).toEqual(['api']);
    expect(h.engine.status()[0]!.watch).toEqual({ on: true });
    const mark = h.events.length;
    h.write('src/app.js');
    const restarted = await waitFor(() => {
      const now = h.engine.status()[0]!;
      return now.state === 'healthy' && now.pid !== first.pid && now;
    });
    expect(alive(first.pid!)).toBe(false);
    const [trigger] = triggers(h.events);
    expect(trigger).toMatchObject({ service: 'api', from: 'healthy', to: 'healthy', reason: 'watch: src/app.js changed → restart' });
    expect(trigger!.watch).toMatchObject({ file: 'src/app.js', more: 0, action: 'restart' });
    // The trigger, then the restart of its whole tree through the supervisor, in this order.
    const index = h.events.findIndex((e) => e.transition?.watch);
    expect(index).toBeGreaterThanOrEqual(mark);
    expect(statesOf(h.events, 'api', index)).toEqual(['stopping', 'stopped', 'starting', 'healthy']);
    expect(h.events.slice(index).find((e) => e.status.state === 'starting')!.status.reason).toBe('watch: src/app.js changed → restart');
    expect(restarted.watch).toMatchObject({ on: true, lastTrigger: { file: 'src/app.js', action: 'restart' } });
    const lines = (await tailLog(logFiles(join(h.engine.home, 'services', 'logs'), 'api'))).filter((l) => l.stream === 'evt').map((l) => l.text);
    expect(lines).toContain('watch: src/app.js changed → restart');
    expect(lines.indexOf('watch: src/app.js changed → restart')).toBeLessThan(lines.lastIndexOf(`stopping: stopping pid ${first.pid}`));
    expect(h.engine.events({ service: 'api', limit: 100 }).some((e) => e.watch?.file === 'src/app.js')).toBe(true);
    // Off: the folders are let go.
    expect(await h.engine.watch(['api'], false)).toEqual([]);
    expect(h.engine.status()[0]!.watch).toMatchObject({ on: false });
  });

  it('names the file a person changed, not the temporary file an editor (or sed -i) renamed over it, and says the trigger at the stop', async () => {
    const port = await freePort();
    const h = await open(demoService('api', port, 'watch = { paths = ["src/**"], debounce = "100ms" }'), ['src/app.js']);
    const first = await h.engine.start('api');
    await h.engine.watch(['api'], true);
    // What `sed -i` and many editors do: write a new file beside it, then rename it over the old one.
    h.write('src/.app.js.swp-1234');
    renameSync(join(h.dir, 'src/.app.js.swp-1234'), join(h.dir, 'src/app.js'));
    await waitFor(() => h.engine.status()[0]!.pid !== first.pid && h.engine.status()[0]!.state === 'healthy');
    const [trigger] = triggers(h.events);
    // Before: "watch: src/.app.js.swp-1234 changed (and 1 more) → restart", a file that no longer exists.
    expect(trigger!.watch).toMatchObject({ file: 'src/app.js', more: 1 });
    const stopped = h.events.find((e) => e.status.name === 'api' && e.status.state === 'stopped');
    // Before: "stopped by user", though no person stopped it.
    expect(stopped!.status.reason).toBe('watch: src/app.js changed (and 1 more) → restart');
  });

  it('shows control characters of a file name escaped, so a name cannot forge a log line, and cuts a long trigger reason in the timeline', async () => {
    const port = await freePort();
    const h = await open(demoService('api', port, 'watch = { paths = ["src/**"], debounce = "100ms" }'), ['src/app.js']);
    const first = await h.engine.start('api');
    await h.engine.watch(['api'], true);
    const long = `${'a'.repeat(200)}/${'b'.repeat(200)}/${'c'.repeat(200)}.js`;
    h.write(`src/evil\nstopping: forged/${long}`);
    await waitFor(() => h.engine.status()[0]!.pid !== first.pid && h.engine.status()[0]!.state === 'healthy');
    const shown = `src/evil\\nstopping: forged/${long}`;
    const line = `watch: ${shown} changed → restart`;
    const [trigger] = triggers(h.events);
    expect(trigger!.watch).toMatchObject({ file: shown, more: 0 });
    // Before: the whole line of 600+ characters (record() cuts its reasons, note() did not).
    expect(trigger!.reason).toBe(`${line.slice(0, 499)}…`);
    const lines = (await tailLog(logFiles(join(h.engine.home, 'services', 'logs'), 'api'))).filter((l) => l.stream === 'evt').map((l) => l.text);
    expect(lines).toContain(line);
    // Before: the name's newline began a line of its own, one the service never wrote.
    expect(lines.filter((l) => l.startsWith('stopping: forged'))).toEqual([]);
  });

  it('with cascade, restarts a dependent once the service is healthy again — once for a burst of 20 writes', async () => {
    const [dbPort, webPort] = [await freePort(), await freePort()];
    const registry = [
      demoService('db', dbPort, 'watch = { paths = ["db/**/*.sql"], debounce = "3s", cascade = true }'),
      demoService('web', webPort, 'dependencies = ["db"]'),
    ].join('\n');
    const h = await open(registry, ['db/schema.sql']);
    await h.engine.start('web');
    const before = new Map(h.engine.status().map((s) => [s.name, s.pid]));
    await h.engine.watch([], true);
    const mark = h.events.length;
    // Spread out, so each write is its own event: only the debounce (far longer than the gaps) makes them one trigger.
    for (let i = 0; i < 20; i++) {
      h.write(`db/migrations/${String(i).padStart(2, '0')}.sql`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => {
      const web = h.engine.status().find((s) => s.name === 'web')!;
      return web.state === 'healthy' && web.pid !== before.get('web');
    });
    // A later change is the positive control: everything of the burst was over before it.
    h.write('db/schema.sql');
    const controlAt = () => h.events.findIndex((e) => e.transition?.watch?.file === 'db/schema.sql');
    await waitFor(() => controlAt() >= 0 && statesOf(h.events, 'web', controlAt()).includes('healthy'));
    expect(triggers(h.events)).toHaveLength(2);
    const [burst, control] = triggers(h.events);
    expect(burst!.watch).toMatchObject({ more: 19, action: 'restart' });
    expect(burst!.watch!.file).toMatch(/^db\/migrations\/\d\d\.sql$/);
    expect(control!.watch).toMatchObject({ file: 'db/schema.sql', more: 0 });
    const between = h.events.slice(
      mark,
      h.events.findIndex((e) => e.transition === control),
    );
    // One restart of each for the whole burst; web's new start comes after db is healthy again.
    expect(statesOf(between, 'db')).toEqual(['stopping', 'stopped', 'starting', 'healthy']);
    expect(statesOf(between, 'web').filter((s) => s === 'starting')).toHaveLength(1);
    const dbHealthy = between.findIndex((e) => e.status.name === 'db' && e.transition && e.status.state === 'healthy');
    const webStarting = between.findIndex((e) => e.status.name === 'web' && e.transition && e.status.state === 'starting');
    expect(webStarting).toBeGreaterThan(dbHealthy);
  });

  it.each([
    ['the same debounce', '100ms'],
    ['a longer debounce', '2s'],
  ])('with cascade, restarts a watched dependent whose files changed in the same burst once, after the service (%s)', async (_, webDebounce) => {
    const [dbPort, webPort] = [await freePort(), await freePort()];
    const registry = [
      demoService('db', dbPort, 'watch = { paths = ["db/**"], debounce = "100ms", cascade = true }'),
      demoService('web', webPort, `dependencies = ["db"]\nwatch = { paths = ["web/**"], debounce = "${webDebounce}" }`),
    ].join('\n');
    const h = await open(registry, ['db/schema.sql', 'web/app.js']);
    await h.engine.start('web');
    const before = h.engine.status().find((s) => s.name === 'web')!.pid;
    await h.engine.watch([], true);
    const mark = h.events.length;
    // One burst, as a git checkout or a save of the whole project makes it.
    h.write('db/schema.sql');
    h.write('web/app.js');
    const web = () => h.engine.status().find((s) => s.name === 'web')!;
    // Its own trigger is told once it is done, whichever way: the file, then a healthy new process.
    await waitFor(() => web().watch?.lastTrigger?.file === 'web/app.js' && web().state === 'healthy' && web().pid !== before);
    // The positive control: a later cascade; anything of the burst came before its trigger.
    h.write('db/control.sql');
    const controlAt = () => h.events.findIndex((e) => e.transition?.watch?.file === 'db/control.sql');
    await waitFor(() => controlAt() >= 0 && statesOf(h.events, 'web', controlAt()).includes('healthy'));
    const between = h.events.slice(mark, controlAt());
    // Before: twice — its own trigger's restart and the cascade's.
    expect(statesOf(between, 'web').filter((s) => s === 'stopping')).toHaveLength(1);
    const dbHealthy = between.findIndex((e) => e.status.name === 'db' && e.transition && !e.transition.watch && e.status.state === 'healthy');
    const webStopping = between.findIndex((e) => e.status.name === 'web' && e.transition && !e.transition.watch && e.status.state === 'stopping');
    expect(webStopping).toBeGreaterThan(dbHealthy);
    const webTrigger = triggers(between).find((t) => t.service === 'web');
    expect(webTrigger).toMatchObject({ reason: "watch: web/app.js changed → restart: done by the restart after 'db'", watch: { file: 'web/app.js', more: 0 } });
  });

  it('never triggers for ignored paths, node_modules or .git — and never watches their folders', async () => {
    const port = await freePort();
    const h = await open(demoService('api', port, 'watch = { paths = ["src/**"], ignore = ["**/*.log", "src/tmp/**"], debounce = "300ms" }'), [
      'src/app.js',
      'src/lib/util.js',
      'src/node_modules/dep/index.js',
      'src/.git/HEAD',
      'src/tmp/cache/a.bin',
    ]);
    await h.engine.start('api');
    const watchesBefore = inotifyWatches();
    await h.engine.watch(['api'], true);
    // src and src/lib: node_modules, .git and the ignored src/tmp are never opened.
    expect(inotifyWatches() - watchesBefore).toBe(2);
    h.write('src/server.log');
    h.write('src/node_modules/dep/index.js');
    h.write('src/node_modules/new-dep/index.js');
    h.write('src/.git/HEAD');
    h.write('src/.git/objects/ab/cdef');
    h.write('src/tmp/cache/b.bin');
    mkdirSync(join(h.dir, 'src', 'lib', 'node_modules'));
    h.write('src/lib/node_modules/x.js');
    // The positive control: one change that counts, after all of the above.
    h.write('src/lib/util.js');
    await waitFor(() => triggers(h.events).length === 1 && h.engine.status()[0]!.state === 'healthy' && statesOf(h.events, 'api').includes('stopped'));
    expect(triggers(h.events)[0]!.watch).toMatchObject({ file: 'src/lib/util.js', more: 0 });
    expect(inotifyWatches() - watchesBefore).toBe(2);
  });

  it('picks up folders that appear: a file written in a new folder triggers', async () => {
    const port = await freePort();
    const h = await open(demoService('api', port, 'watch = { paths = ["src/**/*.js"], debounce = "100ms" }'), ['src/app.js']);
    await h.engine.start('api');
    await h.engine.watch(['api'], true);
    h.write('src/feature/deep/new.js');
    await waitFor(() => triggers(h.events).length === 1);
    expect(triggers(h.events)[0]!.watch!.file).toBe('src/feature/deep/new.js');
  });

  it('follows a registry update of its watch table without restarting the service: the new paths count, the old ones no more', async () => {
    const port = await freePort();
    const text = (paths: string) => demoService('api', port, `watch = { paths = ${paths}, debounce = "100ms" }`);
    const h = await open(text('["old/**"]'), ['old/a.js', 'new/a.js']);
    const started = await h.engine.start('api');
    await h.engine.watch(['api'], true);
    const { registry } = parseRegistry(text('["new/**"]'), 'services.toml');
    const report = await h.engine.update(registry!);
    // Only the watch changed: redefined in place, the process untouched, watching still on.
    expect(report.changed).toEqual([]);
    expect(h.engine.status()[0]).toMatchObject({ pid: started.pid, watch: { on: true } });
    h.write('old/a.js');
    // The positive control, after the change that must not count.
    h.write('new/a.js');
    await waitFor(() => triggers(h.events).length === 1);
    expect(triggers(h.events)[0]!.watch).toMatchObject({ file: 'new/a.js', more: 0 });
  });

  it('leaves stopped a dependent a person stops while a cascade restarts it, and restarts the others', async () => {
    const [dbPort, webPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const hold = tempDir('pcc-hold-');
    const [holding, go] = [join(hold, 'holding'), join(hold, 'go')];
    // Whatever happens, web's stop is let go: the harness stops it after the test.
    onTestFinished(() => writeFileSync(go, ''));
    // web's stop waits for the test: the person's stop lands while the cascade's restart of web is under way.
    const hook = `touch ${holding}; while [ ! -e ${go} ]; do sleep 0.05; done`;
    const registry = [
      demoService('db', dbPort, 'watch = { paths = ["db/**"], debounce = "100ms", cascade = true }'),
      demoService('web', webPort, 'dependencies = ["db"]'),
      `[services.web.startup]\nstop_timeout = "60s"\npre_stop = { command = ${JSON.stringify(hook)}, timeout = "60s" }`,
      demoService('api', apiPort, 'dependencies = ["db"]'),
    ].join('\n');
    const h = await open(registry, ['db/schema.sql']);
    await h.engine.platformStart(['web', 'api']);
    const apiBefore = h.engine.status().find((s) => s.name === 'api')!.pid;
    await h.engine.watch(['db'], true);
    h.write('db/schema.sql');
    await waitFor(() => existsSync(holding));
    const stopping = h.engine.stop('web');
    writeFileSync(go, '');
    expect(await stopping).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    // The cascade's own end: written once it is over, naming what it started again.
    const dbLog = async () => (await tailLog(logFiles(join(h.engine.home, 'services', 'logs'), 'db'))).filter((l) => l.stream === 'evt').map((l) => l.text);
    const done = await waitFor(async () => (await dbLog()).find((line) => line.startsWith('watch: restarted what depends on it')));
    expect(done).toBe('watch: restarted what depends on it: api');
    expect(h.engine.status().find((s) => s.name === 'web')).toMatchObject({ state: 'stopped' });
    expect(h.engine.status().find((s) => s.name === 'api')!.pid).not.toBe(apiBefore);
  });

  it('refuses a bad watch entry with its file, line, column and key path', () => {
    const text = [
      '[services.api]',
      'watch = { paths = ["src/[abc"], debounce = "soon", action = "rebuild" }',
      '[services.api.deployment]',
      'mode = "binary"',
      'binary = { command = "node" }',
      '[services.web]',
      'watch = { paths = ["src/**"], action = "rebuild" }',
      '[services.web.deployment]',
      'mode = "binary"',
      'binary = { command = "node" }',
      '',
    ].join('\n');
    const { registry, issues } = parseRegistry(text, 'services.toml');
    expect(registry).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      'services.toml:2:20 services.api.watch.paths[0]: not a glob pattern: a `[` without its `]`',
      'services.toml:2:33 services.api.watch.debounce: a duration is a number with a unit: ms, s, m or h (e.g. "250ms", "5s", "1m30s")',
      'services.toml:7:31 services.web.watch.action: rebuild needs docker.build (an image built here from a Dockerfile) or a compose service; use action = "restart"',
    ]);
  });
});
