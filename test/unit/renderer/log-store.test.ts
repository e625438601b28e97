import { describe, expect, it } from 'vitest';
import type { ContractLogLine } from '@shared/contract/logs';
import { compileQuery, EVERYTHING, LogStore, type CompiledQuery, type HeldEntry, type LogQuery } from '../../../src-renderer/src/features/logs/log-store';

const time = '2026-01-31T12:00:00.000Z';
const entry = (service: string, seq: number, text: string, stream: ContractLogLine['stream'] = 'out'): HeldEntry => ({
  kind: 'line',
  service,
  line: { seq, time, stream, text },
});
const compiled = (query: Partial<LogQuery>): CompiledQuery => {
  const result = compileQuery({ ...EVERYTHING, ...query });
  if (result instanceof Error) throw result;
  return result;
};
const texts = (store: LogStore) => [...store.kept()].map((e) => (e.kind === 'line' ? `${e.service} ${e.line.text}` : e.kind));

describe('compileQuery', () => {
  it('matches text literally and without case by default; with the toggles, as a pattern and by case', () => {
    expect(compiled({ text: 'a.c' }).keeps(entry('api', 1, 'xA.Cx'))).toBe(true);
    expect(compiled({ text: 'a.c' }).keeps(entry('api', 1, 'abc'))).toBe(false);
    expect(compiled({ text: 'a.c', regex: true }).keeps(entry('api', 1, 'abc'))).toBe(true);
    expect(compiled({ text: 'Boom', caseSensitive: true }).keeps(entry('api', 1, 'boom'))).toBe(false);
    expect(compiled({ text: '^GET /\\d+$', regex: true }).keeps(entry('api', 1, 'GET /42'))).toBe(true);
  });

  it('keeps no state between lines (no g flag), so the same line matches twice', () => {
    const query = compiled({ text: 'x', regex: true });
    expect([1, 2, 3].map(() => query.keeps(entry('api', 1, 'x')))).toEqual([true, true, true]);
  });

  it('says what is wrong with an invalid pattern, and refuses a pasted page', () => {
    const invalid = compileQuery({ ...EVERYTHING, text: '(unclosed', regex: true });
    expect(invalid).toBeInstanceOf(Error);
    expect((invalid as Error).message).toMatch(/^not a valid pattern: /);
    expect(compileQuery({ ...EVERYTHING, text: 'x'.repeat(501) })).toBeInstanceOf(Error);
  });

  it('filters by stream and by service; gaps follow their service, notes always show', () => {
    const query = compiled({ streams: new Set(['out', 'evt'] as const), hiddenServices: new Set(['db']) });
    expect(query.filtering).toBe(true);
    expect(query.keeps(entry('api', 1, 'boom', 'err'))).toBe(false);
    expect(query.keeps(entry('api', 1, 'failed: exited', 'evt'))).toBe(true);
    expect(query.keeps(entry('db', 1, 'ok'))).toBe(false);
    expect(query.keeps({ kind: 'gap', service: 'db', from: 1, to: 2 })).toBe(false);
    expect(query.keeps({ kind: 'gap', service: 'api', from: 1, to: 2 })).toBe(true);
    expect(query.keeps({ kind: 'note', text: 'could not follow db' })).toBe(true);
    expect(compiled({}).filtering).toBe(false);
  });
});

describe('LogStore', () => {
  it('counts what it holds and what the query keeps, as lines come and as the query changes', () => {
    const store = new LogStore(10);
    expect(store.add(entry('api', 1, 'GET /a'))).toBe(true);
    store.add(entry('api', 2, 'boom', 'err'));
    store.add(entry('db', 3, 'GET /b'));
    store.add({ kind: 'note', text: 'n' });
    expect([store.total, store.matched]).toEqual([3, 3]);
    store.setQuery(compiled({ text: 'get' }));
    expect([store.total, store.matched]).toEqual([3, 2]);
    expect(texts(store)).toEqual(['api GET /a', 'db GET /b', 'note']);
    expect(store.add(entry('api', 4, 'POST /c'))).toBe(false);
    expect(store.add(entry('api', 5, 'GET /d'))).toBe(true);
    expect([store.total, store.matched]).toEqual([5, 3]);
  });

  it('under a flood keeps the newest lines up to its cap, the counts following what it evicts', () => {
    const store = new LogStore(1000);
    store.setQuery(compiled({ text: '7$', regex: true }));
    for (let seq = 1; seq <= 50_000; seq++) store.add(entry('api', seq, `line ${seq}`));
    expect(store.total).toBe(1000);
    expect(store.matched).toBe(100); // one line in ten ends in 7
    expect(store.oldestSeq('api')).toBe(49_001);
    expect(store.full).toBe(true);
    expect(texts(store).at(-1)).toBe('api line 49997');
  });

  it('puts older lines before what it holds while there is room', () => {
    const store = new LogStore(5);
    store.add(entry('api', 10, 'ten'));
    store.add(entry('db', 20, 'twenty'));
    expect(store.oldestSeq('api')).toBe(10);
    expect(store.prepend([entry('api', 8, 'eight'), entry('api', 9, 'nine'), entry('db', 19, 'nineteen')])).toEqual({ taken: 3, dropped: 0 });
    expect(texts(store)).toEqual(['api eight', 'api nine', 'db nineteen', 'api ten', 'db twenty']);
    expect([store.total, store.matched, store.full]).toEqual([5, 5, true]);
    expect(store.oldestSeq('api')).toBe(8);
  });

  it('when full, lets go of its newest lines for older ones, as a scrollback, so what it holds stays unbroken', () => {
    const store = new LogStore(5);
    store.setQuery(compiled({ text: 'e' }));
    for (const [seq, text] of [
      [10, 'ten'],
      [11, 'eleven'],
      [12, 'twelve'],
      [13, 'thirteen'],
      [14, 'fourteen'],
    ] as const)
      store.add(entry('api', seq, text));
    expect(store.prepend([entry('api', 7, 'seven'), entry('api', 8, 'eight'), entry('api', 9, 'nine')])).toEqual({ taken: 3, dropped: 3 });
    expect(texts(store)).toEqual(['api seven', 'api eight', 'api nine', 'api ten', 'api eleven']);
    expect([store.total, store.matched]).toEqual([5, 5]);
    expect(store.keptIndexOf('api', 9)).toBe(2);
    expect(store.holds('api', 12)).toBe(false);
    // More than it holds at all: the newest of them, in place of everything.
    store.setQuery(compiled({}));
    expect(store.prepend([1, 2, 3, 4, 5, 6].map((seq) => entry('api', seq, `n${seq}`)))).toEqual({ taken: 5, dropped: 5 });
    expect(texts(store)).toEqual(['api n2', 'api n3', 'api n4', 'api n5', 'api n6']);
    store.setQuery(compiled({ text: 'e' }));
    expect([store.total, store.matched]).toEqual([5, 0]);
    expect(store.keptIndexOf('api', 2)).toBe(-1); // held, but the query hides it
    expect(store.holds('api', 2)).toBe(true);
  });

  it('clears everything', () => {
    const store = new LogStore(5);
    store.add(entry('api', 1, 'x'));
    store.clear();
    expect([store.total, store.matched, [...store.kept()].length]).toEqual([0, 0, 0]);
    expect(store.oldestSeq('api')).toBeUndefined();
  });
});
