/**
 * The engine's events timeline (issue 20): a `kill -9` of a service with restart = "on-failure"
 * is recorded as healthy → failed (with the time of the retry) → starting → healthy, each entry
 * naming the lifecycle line it wrote in the service's log and pushed inside the state event that
 * made it; the timeline outlasts the engine (a new owner reads it back and adds no duplicate for a
 * service it adopts as it was); and it is bounded, in memory and on disk.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StateEvent, TimelineEvent } from '@shared/contract/service-state';
import { EventTimeline, TIMELINE_CAPACITY } from '../../src-main/core/events/event-timeline';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { stateDirs } from '../../src-main/core/state/state-store';
import { tempDir } from '../support/cli-run';
import { harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open, track } = harnesses();
const WORKER = nodeService(
  'worker',
  ['-e', 'setInterval(() => {}, 1000)'],
  '',
  'restart = "on-failure"\nrestart_delay = "200ms"\nrestart_delay_max = "1s"\nstart_limit = 10',
);
const transitions = (events: readonly TimelineEvent[]) => events.map((e) => `${e.from ?? '∅'}→${e.to}`);

describe('the events timeline', () => {
  it('records a kill -9 and its recovery in order, with times, retry and log lines, pushed with the state events', async () => {
    const h = await open(WORKER);
    const pushed: StateEvent[] = [];
    h.engine.subscribe((event) => pushed.push(event));
    const first = await h.engine.start('worker');
    expect(first.state).toBe('healthy');
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => h.engine.events({ service: 'worker', limit: 100 }).filter((e) => e.to === 'healthy').length === 2);

    const events = h.engine.events({ service: 'worker', limit: 100 });
    expect(transitions(events)).toEqual(['∅→starting', 'starting→healthy', 'healthy→failed', 'failed→starting', 'starting→healthy']);
    const failed = events[2]!;
    expect(failed.reason).toMatch(/SIGKILL/);
    expect(failed.retryAt).toBeGreaterThanOrEqual(failed.at);
    // Numbered and timed in order.
    for (const [a, b] of events.slice(1).map((e, i) => [events[i]!, e] as const)) {
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(b.at).toBeGreaterThanOrEqual(a.at);
    }
    // Each names the lifecycle line it wrote: that line says the same change.
    const log = await tailLog(logFiles(stateDirs(h.home).logs, 'worker'), 1_000);
    for (const event of events) {
      const line = log.find((l) => l.seq === event.logSeq);
      expect(line?.stream).toBe('evt');
      expect(line?.text).toBe(`${event.to}: ${event.reason}`);
    }
    // The same entries went out inside the state events that made them, and only in those.
    expect(pushed.flatMap((e) => (e.transition ? [e.transition] : []))).toEqual(events.slice(-pushed.filter((e) => e.transition).length));
    expect(pushed.filter((e) => e.transition).every((e) => e.transition!.to === e.status.state)).toBe(true);
    // Filters: by seq, by limit.
    expect(h.engine.events({ service: 'worker', sinceSeq: failed.seq, limit: 100 }).map((e) => e.seq)).toEqual(events.slice(3).map((e) => e.seq));
    expect(h.engine.events({ limit: 2 }).map((e) => e.seq)).toEqual(events.slice(-2).map((e) => e.seq));
  }, 60_000);

  it('is kept across an owner restart; adopting a service as it was adds nothing', async () => {
    const h = await open(WORKER);
    await h.engine.start('worker');
    const before = h.engine.events({ limit: 100 });
    await h.engine.close();
    const again = track(await h.reopen());
    expect(again.engine.status().find((s) => s.name === 'worker')?.state).toBe('healthy');
    expect(again.engine.events({ limit: 100 })).toEqual(before);
    await again.engine.stop('worker');
    const after = again.engine.events({ limit: 100 });
    expect(transitions(after.slice(before.length))).toEqual(['healthy→stopping', 'stopping→stopped']);
    expect(after[before.length]!.seq).toBe(before.at(-1)!.seq + 1);
  }, 60_000);
});

describe('the timeline file', () => {
  it('stays bounded: the ring keeps the newest entries, the file is rewritten at twice that, and reads back', async () => {
    const root = tempDir('pcc-timeline-');
    mkdirSync(root, { recursive: true });
    const warnings: string[] = [];
    const timeline = EventTimeline.open(root, (w) => warnings.push(w));
    const total = 2 * TIMELINE_CAPACITY + 500;
    for (let i = 0; i < total; i++) {
      timeline.record({ name: `s${i % 3}`, mode: 'binary', state: i % 2 ? 'healthy' : 'failed', reason: 'x'.repeat(2_000), since: i, restarts: 0 }, i);
      // Flushed in batches, as time passes between events in a real owner.
      if (i % 997 === 0) await timeline.flush();
    }
    await timeline.close();
    const all = timeline.query({ limit: 10_000 });
    expect(all).toHaveLength(TIMELINE_CAPACITY);
    expect(all.at(-1)!.seq).toBe(total);
    expect(all[0]!.reason.length).toBeLessThanOrEqual(500);
    const lines = readFileSync(join(root, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2 * TIMELINE_CAPACITY);
    const reread = EventTimeline.open(root, (w) => warnings.push(w)).query({ limit: 10_000 });
    expect(reread).toEqual(all);
    expect(warnings).toEqual([]);
  });
});
