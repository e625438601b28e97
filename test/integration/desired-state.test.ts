/**
 * What the user asked to run stays asked for: a service blocked behind a failed dependency starts by
 * itself once that dependency is back (by its restart policy, or started by hand), its reason names
 * the live cause meanwhile, and a new owner keeps it waiting. A stop withdraws the wish.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { parseRegistry } from '@shared/model';
import { alive, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open, track } = harnesses();

/** `db` exits 1 until the file `ok` exists (then it serves); `web` needs it. */
function registry(dir: string, dbRestart: string): string {
  const db = `const fs = require('fs'); if (!fs.existsSync(${JSON.stringify(join(dir, 'ok'))})) process.exit(1); setInterval(() => {}, 1000);`;
  return [
    nodeService('db', ['-e', db], '', `${dbRestart}\nstart_limit = 100`),
    nodeService('web', ['-e', 'setInterval(() => {}, 1000)']).replace('[services.web]', '[services.web]\ndependencies = ["db"]'),
  ].join('\n');
}

describe('desired state', () => {
  it('starts a blocked service once its dependency recovers by its restart policy, naming the live cause meanwhile', async () => {
    const dir = tempDir();
    const h = await open(registry(dir, 'restart = "on-failure"\nrestart_delay = "200ms"'));
    const report = await h.engine.platformStart(['web']);
    expect(report.steps.find((s) => s.name === 'web')?.outcome).toBe('blocked');
    const blocked = h.engine.status().find((s) => s.name === 'web')!;
    expect(blocked.state).toBe('blocked');
    // The reason follows db's state as it changes, never a stale one.
    await waitFor(() => h.events.some((s) => s.name === 'web' && s.state === 'blocked' && s.reason.startsWith('waiting for db, which is starting')));
    writeFileSync(join(dir, 'ok'), '');
    const web = await waitFor(() => h.engine.status().find((s) => s.name === 'web' && s.state === 'healthy'));
    expect(web.reason).toMatch(/\(pid \d+\)$/);
    const order = h.events.map((s) => `${s.name} ${s.state}`);
    expect(order.lastIndexOf('db healthy')).toBeLessThan(order.lastIndexOf('web starting'));
  });

  it('keeps waiting across an owner restart, starts once the dependency is started by hand, and a stop withdraws the wish', async () => {
    const dir = tempDir();
    const text = registry(dir, 'restart = "no"');
    const first = await open(text);
    await first.engine.platformStart(['web']);
    expect(first.engine.status().find((s) => s.name === 'web')?.state).toBe('blocked');
    await first.engine.close();
    const second = track(await first.reopen());
    const web = second.engine.status().find((s) => s.name === 'web')!;
    expect(web.state).toBe('blocked');
    // A new owner knows db only as stopped after its last run: that is the cause it names.
    await waitFor(() =>
      second.engine
        .status()
        .find((s) => s.name === 'web')
        ?.reason.startsWith('waiting for db, which is stopped: last run exited with code 1'),
    );
    writeFileSync(join(dir, 'ok'), '');
    await second.engine.start('db', { noDeps: true });
    await waitFor(() => second.engine.status().find((s) => s.name === 'web' && s.state === 'healthy'));
    await second.engine.stop('web');
    await second.engine.stop('db');
    await second.engine.start('db', { noDeps: true });
    // Stopped by the user: the wish is gone (kept for the next owner too), so db serving again does not bring it back.
    expect(JSON.parse(readFileSync(join(second.home, 'services', 'state', 'web.json'), 'utf8'))).toMatchObject({ wanted: false, waiting: false });
    expect(second.engine.status().find((s) => s.name === 'web')?.state).toBe('stopped');
  });
});

describe('a registry update', () => {
  it('tells a waiting service its cause anew: with the edge to its failed dependency removed, it starts', async () => {
    const dir = tempDir();
    const text = registry(dir, 'restart = "no"');
    const h = await open(text);
    await h.engine.platformStart(['web']);
    expect(h.engine.status().find((s) => s.name === 'web')?.state).toBe('blocked');
    const { registry: edited } = parseRegistry(text.replace('dependencies = ["db"]', 'dependencies = []'), 'test.toml');
    const report = await h.engine.update(edited!);
    expect(report).toMatchObject({ added: [], removed: [], changed: [] });
    await waitFor(() => h.engine.status().find((s) => s.name === 'web' && s.state === 'healthy'));
  });

  it('stops and remakes a changed service whose start is still under way, so no process of the old definition is left', async () => {
    const dir = tempDir();
    const ready = join(dir, 'ready');
    // Not healthy until `ready` exists: its start is under way (no pid in its status) when the update comes.
    const slow = (tag: string) =>
      nodeService('slow', ['-e', `setInterval(() => {}, 1000) // ${tag}`], '', 'timeout = "60s"') +
      `[services.slow.health_check]\ntype = "file"\ninterval = "100ms"\nfile = { path = ${JSON.stringify(ready)} }\n`;
    const h = await open(slow('old'));
    const starting = h.engine.start('slow', { noDeps: true });
    const first = await waitFor(() => h.processes('slow')[0]);
    const { registry: next } = parseRegistry(slow('new'), 'test.toml');
    const updating = h.engine.update(next!);
    writeFileSync(ready, '');
    await starting;
    const report = await updating;
    expect(report.changed).toEqual(['slow']);
    expect(alive(first)).toBe(false);
    const now = await waitFor(() => h.engine.status().find((s) => s.state === 'healthy'));
    expect(now.pid).not.toBe(first);
    expect(readFileSync(`/proc/${now.pid}/cmdline`, 'utf8')).toContain('// new');
  });
});
