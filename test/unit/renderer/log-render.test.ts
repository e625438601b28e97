import { describe, expect, it } from 'vitest';
import type { ContractLogLine } from '@shared/contract/logs';
import { cutToWidth, formatLine, markMatches, plainText } from '../../../src-renderer/src/features/logs/log-batcher';
import { keptAsText, renderEntry } from '../../../src-renderer/src/features/logs/log-render';
import { compileQuery, EVERYTHING, LogStore, type CompiledQuery } from '../../../src-renderer/src/features/logs/log-store';

const time = '2026-01-31T12:34:56.789Z';
const line = (seq: number, stream: ContractLogLine['stream'], text: string): ContractLogLine => ({ seq, time, stream, text });

describe('formatLine, lifecycle and timestamps', () => {
  it('shows a lifecycle failure (failed, crash-loop, unhealthy) in bold red with a cross; other lifecycle lines stay cyan', () => {
    for (const text of ['failed: exited with code 3', 'crash-loop: 5 starts in 20s', 'unhealthy: http 500', 'conflict: port 8080 is taken'])
      expect(formatLine(line(1, 'evt', text), { utc: true, timestamps: false })).toBe(`\x1b[1;31m✖ ${text}\x1b[0m\r\n`);
    for (const text of ['healthy: http 200', 'started pid 42: node a.js', 'stopped: asked', 'failed without a colon'])
      expect(formatLine(line(1, 'evt', text), { utc: true, timestamps: false })).toBe(`\x1b[1;36m● ${text}\x1b[0m\r\n`);
    // Only lifecycle lines: a service printing "failed: …" itself is its own text.
    expect(formatLine(line(1, 'out', 'failed: x'), { timestamps: false })).toBe('failed: x\r\n');
  });

  it('leaves the time out when timestamps are off', () => {
    expect(formatLine(line(1, 'out', 'hi'), { utc: true })).toBe('\x1b[90m12:34:56.789\x1b[0m hi\r\n');
    expect(formatLine(line(1, 'out', 'hi'), { utc: true, timestamps: false })).toBe('hi\r\n');
  });
});

describe('plain text and cutting', () => {
  it('takes escape sequences out (CSI, OSC links, two-character escapes)', () => {
    expect(plainText('\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1bc\r\n')).toBe('red link \n');
  });

  it('cuts a line to the columns with an ellipsis, escapes kept and not counted', () => {
    const text = '\x1b[31mabcdef\x1b[0mghij\r\n';
    expect(cutToWidth(text, 20)).toBe(text);
    expect(cutToWidth(text, 10)).toBe(text); // exactly ten visible: whole
    expect(cutToWidth(text, 8)).toBe('\x1b[31mabcdef\x1b[0mg\x1b[0m…\r\n');
    expect(plainText(cutToWidth(text, 4))).toBe('abc…\n');
    expect(plainText(cutToWidth('x'.repeat(300), 80)).length).toBe(80);
  });
});

describe('what is shown, rendered', () => {
  const compiled = (text: string): CompiledQuery => compileQuery({ ...EVERYTHING, text }) as CompiledQuery;

  it('downloads exactly the lines the filter keeps, as shown (prefix, time), as plain text, whole', () => {
    const store = new LogStore();
    store.add({ kind: 'line', service: 'api', line: line(1, 'out', `GET /a ${'x'.repeat(200)}`) });
    store.add({ kind: 'line', service: 'db', line: line(2, 'err', 'boom') });
    store.add({ kind: 'line', service: 'db', line: line(3, 'out', 'GET /b') });
    store.setQuery(compiled('get'));
    const display = { merged: ['api', 'db'], timestamps: false, cutAt: 40 };
    expect(keptAsText(store, display)).toBe(`api │ GET /a ${'x'.repeat(200)}\ndb  │ GET /b\n`);
    expect(plainText(renderEntry({ kind: 'line', service: 'api', line: line(1, 'out', 'x'.repeat(200)) }, display)).length).toBe(40 + 1);
  });
});

describe('lit matches', () => {
  const fill = [1, 2, 3] as const;

  it('puts every match on the fill and back, leaving text with escapes of its own and empty matches alone', () => {
    expect(markMatches('GET /a then get /b', /get/i, fill)).toBe('\x1b[48;2;1;2;3mGET\x1b[49m /a then \x1b[48;2;1;2;3mget\x1b[49m /b');
    expect(markMatches('\x1b[32mget\x1b[0m', /get/, fill)).toBe('\x1b[32mget\x1b[0m');
    expect(markMatches('abc', /x*/, fill)).toBe('abc');
  });

  it('lights a lifecycle failure without losing its red (classified before lighting)', () => {
    const text = formatLine(line(1, 'evt', 'failed: exited with code 3'), { timestamps: false, mark: (t) => markMatches(t, /fail/i, fill) });
    expect(text).toBe('\x1b[1;31m✖ \x1b[48;2;1;2;3mfail\x1b[49med: exited with code 3\x1b[0m\r\n');
  });

  it('renders with the theme’s fill; the download leaves it out', () => {
    const store = new LogStore();
    store.add({ kind: 'line', service: 'api', line: line(1, 'out', 'GET /a') });
    const entry = [...store.kept()][0]!;
    expect(renderEntry(entry, { merged: undefined, timestamps: false, cutAt: undefined, highlight: /get/i, theme: 'dark' })).toBe(
      '\x1b[48;2;107;85;0mGET\x1b[49m /a\r\n',
    );
    expect(renderEntry(entry, { merged: undefined, timestamps: false, cutAt: undefined, highlight: /get/i, theme: 'light' })).toContain(
      '\x1b[48;2;255;224;102mGET',
    );
    expect(keptAsText(store, { merged: undefined, timestamps: false, cutAt: undefined, highlight: /get/i })).toBe('GET /a\n');
  });
});
