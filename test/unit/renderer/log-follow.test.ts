import { describe, expect, it } from 'vitest';
import type { ContractLogLine, LogMessage } from '@shared/contract/logs';
import { routePushed } from '@shared/contract/pushed';
import { followLogs, linesPerSecondEach, loadOlder, type LogClient } from '../../../src-renderer/src/features/logs/log-follow';

const line = (seq: number, time: string, text = `line ${seq}`): ContractLogLine => ({ seq, time, stream: 'out', text });

/** A client whose tails come from a table, recording every call; pushes (routed as the real client does) and reconnects on demand. */
function fakeClient(tails: Record<string, ContractLogLine[] | Error>) {
  const calls: string[] = [];
  const pushed = new Set<(logs: LogMessage['logs']) => void>();
  const reconnected = new Set<() => void>();
  const client = {
    call: async (method: string, params: { name: string; lines?: number; afterSeq?: number }) => {
      calls.push(`${method} ${JSON.stringify(params)}`);
      if (method !== 'logTail') return {};
      const tail = tails[params.name];
      if (tail instanceof Error) throw tail;
      return tail ?? [];
    },
    onLog: (listener: (logs: LogMessage['logs']) => void) => (pushed.add(listener), () => pushed.delete(listener)),
    onReconnect: (listener: () => void) => (reconnected.add(listener), () => reconnected.delete(listener)),
  } as unknown as LogClient;
  return {
    client,
    calls,
    push: (message: unknown) => routePushed(message, { logs: (logs) => pushed.forEach((listener) => listener(logs)) }),
    reconnect: () => reconnected.forEach((listener) => listener()),
    listeners: () => pushed.size + reconnected.size,
  };
}

function recorder() {
  const seen: string[] = [];
  return {
    seen,
    sink: {
      line: (service: string, l: ContractLogLine) => seen.push(`${service} ${l.seq} ${l.text}`),
      gap: (service: string, from: number, to: number) => seen.push(`${service} gap ${from}-${to}`),
      note: (text: string) => seen.push(`note ${text}`),
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('followLogs', () => {
  it('merges the tails by time, then follows each service after its last seq, sharing the rate among them', async () => {
    const fake = fakeClient({
      api: [line(7, '2026-01-01T00:00:01.000Z'), line(8, '2026-01-01T00:00:03.000Z')],
      db: [line(40, '2026-01-01T00:00:02.000Z'), line(41, '2026-01-01T00:00:03.000Z')],
      idle: [],
    });
    const { seen, sink } = recorder();
    followLogs(fake.client, ['api', 'db', 'idle'], sink);
    await settle();
    expect(seen).toEqual(['api 7 line 7', 'db 40 line 40', 'api 8 line 8', 'db 41 line 41']);
    expect(fake.calls).toEqual([
      'logTail {"name":"api","lines":500}',
      'logTail {"name":"db","lines":500}',
      'logTail {"name":"idle","lines":500}',
      'logFollow {"name":"api","afterSeq":8,"maxLinesPerSecond":4000}',
      'logFollow {"name":"db","afterSeq":41,"maxLinesPerSecond":4000}',
      'logFollow {"name":"idle","afterSeq":0,"maxLinesPerSecond":4000}',
    ]);
  });

  it('passes pushed lines once, in order, with gaps trimmed to what was not seen', async () => {
    const fake = fakeClient({ api: [line(8, '2026-01-01T00:00:03.000Z')] });
    const { seen, sink } = recorder();
    followLogs(fake.client, ['api'], sink);
    await settle();
    seen.length = 0;
    const t = '2026-01-01T00:00:04.000Z';
    fake.push({ logs: { service: 'api', lines: [line(8, t), line(9, t), line(10, t)] } });
    fake.push({ logs: { service: 'other', lines: [line(11, t)] } });
    fake.push({ logs: { service: 'api', lines: [{ seq: 'x' }] } });
    fake.push({ state: 'not a log' });
    fake.push({ logs: { service: 'api', gap: { from: 5, to: 20 } } });
    fake.push({ logs: { service: 'api', lines: [line(20, t), line(21, t)] } });
    expect(seen).toEqual(['api 9 line 9', 'api 10 line 10', 'api gap 11-20', 'api 21 line 21']);
  });

  it('follows again from the last seq seen after a reconnect, and retries a tail that failed', async () => {
    const tails: Record<string, ContractLogLine[] | Error> = {
      api: [line(3, '2026-01-01T00:00:01.000Z')],
      db: new Error('the connection to the engine was lost; retrying'),
    };
    const fake = fakeClient(tails);
    const { seen, sink } = recorder();
    followLogs(fake.client, ['api', 'db'], sink);
    await settle();
    fake.push({ logs: { service: 'api', lines: [line(4, '2026-01-01T00:00:02.000Z')] } });
    tails.db = [line(60, '2026-01-01T00:00:02.000Z')];
    fake.calls.length = 0;
    fake.reconnect();
    await settle();
    expect(fake.calls).toEqual([
      'logFollow {"name":"api","afterSeq":4,"maxLinesPerSecond":6000}',
      'logTail {"name":"db","lines":500}',
      'logFollow {"name":"db","afterSeq":60,"maxLinesPerSecond":6000}',
    ]);
    expect(seen).toEqual([
      'note could not read the log of db: the connection to the engine was lost; retrying',
      'api 3 line 3',
      'api 4 line 4',
      'db 60 line 60',
    ]);
  });

  it('unfollows what it followed when stopped, and delivers nothing after', async () => {
    const fake = fakeClient({ api: [line(1, '2026-01-01T00:00:01.000Z')], db: [] });
    const { seen, sink } = recorder();
    const stop = followLogs(fake.client, ['api', 'db'], sink, 50);
    await settle();
    fake.calls.length = 0;
    seen.length = 0;
    stop();
    fake.push({ logs: { service: 'api', lines: [line(2, '2026-01-01T00:00:02.000Z')] } });
    await settle();
    expect(fake.calls).toEqual(['logUnfollow {"name":"api"}', 'logUnfollow {"name":"db"}']);
    expect(seen).toEqual([]);
    expect(fake.listeners()).toBe(0);
  });

  it('neither shows nor follows a tail that arrives after the stop', async () => {
    const fake = fakeClient({ api: [line(1, '2026-01-01T00:00:01.000Z')] });
    const { seen, sink } = recorder();
    followLogs(fake.client, ['api'], sink)();
    await settle();
    expect(fake.calls).toEqual(['logTail {"name":"api","lines":500}']);
    expect(seen).toEqual([]);
  });
});

describe('loadOlder', () => {
  it('asks each service for the lines before its oldest held, merged by time; a failure is a note, the rest still come', async () => {
    const calls: string[] = [];
    const client = {
      call: async (_method: string, params: { name: string; lines: number; before: number }) => {
        calls.push(JSON.stringify(params));
        if (params.name === 'gone') throw new Error('no such service');
        return params.name === 'api' ? [line(1, '2026-01-01T00:00:01.000Z'), line(2, '2026-01-01T00:00:03.000Z')] : [line(7, '2026-01-01T00:00:02.000Z')];
      },
    } as unknown as LogClient;
    const page = await loadOlder(
      client,
      new Map([
        ['api', 3],
        ['db', 8],
        ['gone', 5],
      ]),
    );
    expect(calls).toEqual(['{"name":"api","lines":500,"before":3}', '{"name":"db","lines":500,"before":8}', '{"name":"gone","lines":500,"before":5}']);
    expect(page.lines.map(({ name, line: l }) => `${name} ${l.seq}`)).toEqual(['api 1', 'db 7', 'api 2']);
    expect(page.notes).toEqual(['could not read older lines of gone: no such service']);
  });

  it('shares the follow rate among the services of a merged view, never under the engine’s floor', () => {
    expect([1, 2, 4, 1000].map(linesPerSecondEach)).toEqual([12_000, 6_000, 3_000, 60]);
  });
});
