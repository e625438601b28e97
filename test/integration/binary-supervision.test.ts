/** The binary driver and supervisor on real processes: start, stop, logs, stubborn trees, failures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { alive, DEMO, FIXTURES, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open } = harnesses();

const web = nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web', '--log-every', '50ms']);

describe('binary services', () => {
  it('starts a process in its own group, records it, logs its output with lifecycle events, and stops it', async () => {
    const h = await open(web);
    const started = await h.engine.start('web');
    expect(started.state).toBe('healthy');
    expect(alive(started.pid!)).toBe(true);
    expect(h.processes('web')).toEqual([started.pid]);
    const record = JSON.parse(readFileSync(join(h.home, 'services', 'state', 'web.json'), 'utf8'));
    expect(record).toMatchObject({ desired: 'running', process: { pid: started.pid, pgid: started.pid } });
    expect(readFileSync(join(h.home, 'services', 'pids', 'web.pid'), 'utf8')).toBe(`${started.pid}\n`);
    const logs = logFiles(join(h.home, 'services', 'logs'), 'web');
    await waitFor(async () => (await tailLog(logs)).some((l) => l.stream === 'out' && l.text.includes('working')));
    const stopped = await h.engine.stop('web');
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    expect(alive(started.pid!)).toBe(false);
    const lines = await tailLog(logs);
    const events = lines.filter((l) => l.stream === 'evt').map((l) => l.text);
    expect(events[0]).toBe('starting: started by user');
    expect(events).toContain(`started pid ${started.pid}: ${process.execPath} ${join(DEMO, 'service.mjs')} --name web --log-every 50ms`);
    expect(events.slice(-2)).toEqual(['stopping: stopping pid ' + started.pid, 'stopped: stopped by user']);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(h.events.map((s) => s.state)).toEqual(['starting', 'healthy', 'stopping', 'stopped']);
  });

  it('makes exactly one process out of ten concurrent starts', async () => {
    const h = await open(web);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.engine.start('web')));
    expect(new Set(results.map((r) => r.pid)).size).toBe(1);
    expect(h.processes('web')).toHaveLength(1);
  });

  it('kills a tree that ignores SIGTERM, grandchildren that left the group included', async () => {
    const h = await open(nodeService('stubborn', [join(FIXTURES, 'stubborn.mjs')], '', 'stop_timeout = "300ms"'));
    const started = await h.engine.start('stubborn');
    const logs = logFiles(join(h.home, 'services', 'logs'), 'stubborn');
    const line = await waitFor(async () => (await tailLog(logs)).find((l) => l.text.startsWith('children ')));
    const children = line.text.split(' ').slice(1).map(Number);
    expect(h.processes('stubborn').sort()).toEqual([started.pid!, ...children].sort());
    const stopped = await h.engine.stop('stubborn');
    expect(stopped.reason).toBe('did not stop within 300ms; killed');
    for (const pid of [started.pid!, ...children]) expect(alive(pid)).toBe(false);
  });

  it('fails a service that exits during startup, quoting its last lines', async () => {
    const h = await open(
      nodeService('broken', ['-e', 'console.log("loading config"); console.error("boom: no config"); process.exit(3)'], '', 'restart = "no"'),
    );
    const status = await h.engine.start('broken');
    expect(status).toMatchObject({ state: 'failed', reason: 'exited with code 3 during startup', lastExit: { code: 3 } });
    expect(status.logTail).toEqual(['loading config', 'boom: no config']);
  });

  it('refuses to start a command that does not exist (preflight)', async () => {
    const h = await open(nodeService('ghost', []).replace(JSON.stringify(process.execPath), '"no-such-command-here"'));
    await expect(h.engine.start('ghost')).rejects.toThrow('cannot start ghost:\n  - command not found: no-such-command-here (not on PATH)');
    // Nothing ran; it waits (asked for) and says why, until the command appears (desired-state.ts).
    expect(h.engine.status()[0]).toMatchObject({ state: 'blocked', reason: 'cannot start: command not found: no-such-command-here (not on PATH)' });
    expect(h.processes('ghost')).toEqual([]);
  });

  it('restarts a crashing service with growing backoff, then shows crash-loop with the next try', async () => {
    const startup = 'restart = "on-failure"\nrestart_delay = "100ms"\nrestart_delay_max = "1s"\nstart_limit = 3\nstart_limit_window = "20s"';
    const h = await open(nodeService('crashy', ['-e', 'setTimeout(() => process.exit(2), 600)'], '', startup));
    await h.engine.start('crashy');
    const loop = await waitFor(() => h.events.find((s) => s.state === 'crash-loop'), 15_000);
    const failures = h.events.filter((s) => s.state === 'failed');
    expect(failures.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^exited with code 2; restarting in (9\d|1[01]\d)ms$/),
      expect.stringMatching(/^exited with code 2; restarting in (1[89]\d|2[0-2]\d)ms$/),
    ]);
    expect(loop.reason).toBe('exited with code 2; 3 starts within 20s; next try in 1s');
    expect(loop.nextRetryAt! - loop.since).toBe(1000);
    expect(loop.restarts).toBe(2);
  });
});
