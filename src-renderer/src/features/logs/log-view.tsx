/**
 * The logs of one service, or of all merged by time: a toolbar over a LogTerminal. Log text goes
 * from the follow straight into the terminal; React only holds the controls and a status sampled
 * a few times a second, so a flood never re-renders per line.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ContractClient } from '../../api/contract-client';
import { formatGap, formatLine, formatNote, LogBatcher, type FormatOptions } from './log-batcher';
import { followLogs } from './log-follow';
import { LogTerminal, type LogTerminalStats } from './log-terminal';
import './log-view.css';

const STATUS_MS = 250;
const number = new Intl.NumberFormat('en-US');
const idle: LogTerminalStats = { paused: false, written: 0, waiting: 0, skipped: 0 };
const sameStats = (a: LogTerminalStats, b: LogTerminalStats) =>
  a.paused === b.paused && a.written === b.written && a.waiting === b.waiting && a.skipped === b.skipped;

/** Where typing belongs to a field (xterm's own helper textarea takes no typing: stdin is off). */
const isTypingTarget = (target: EventTarget) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLTextAreaElement && !target.classList.contains('xterm-helper-textarea')));

export interface LogViewProps {
  client: ContractClient;
  services: readonly string[];
  /** undefined: every service, merged by time. Without onServiceChange, only the first selection. */
  service?: string | undefined;
  /** Given: the selection is the parent's; absent: the view keeps it itself. */
  onServiceChange?: (service: string | undefined) => void;
}

export function LogView({ client, services, service, onServiceChange }: LogViewProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const terminalRef = useRef<LogTerminal | null>(null);
  const [ownService, setOwnService] = useState(service);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState('');
  const [stats, setStats] = useState(idle);
  const [notice, setNotice] = useState('');
  const selected = onServiceChange ? service : ownService;
  const shownKey = (selected === undefined ? services : [selected]).join('\n'); // a stable dependency, whatever the array's identity

  useEffect(() => {
    const terminal = new LogTerminal(hostRef.current!, new LogBatcher({ command: 'provisioning platform logs' }));
    terminalRef.current = terminal;
    const timer = setInterval(() => {
      const next = terminal.stats();
      setStats((previous) => (sameStats(previous, next) ? previous : next));
    }, STATUS_MS);
    return () => {
      clearInterval(timer);
      terminal.dispose();
      terminalRef.current = null;
    };
  }, []);

  useEffect(() => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    const names = shownKey === '' ? [] : shownKey.split('\n');
    const merged = selected === undefined;
    terminal.reset(new LogBatcher({ command: merged ? 'provisioning platform logs' : `provisioning services logs ${selected}` }));
    const width = Math.max(0, ...names.map((name) => name.length));
    const options = (name: string): FormatOptions => (merged ? { service: name, colourIndex: names.indexOf(name), width } : {});
    return followLogs(client, names, {
      line: (name, line) => terminal.append(formatLine(line, options(name))),
      gap: (name, from, to) => terminal.append(formatGap(from, to, options(name)), to - from + 1),
      note: (text) => terminal.append(formatNote(text), 0),
    });
  }, [client, shownKey, selected]);

  const choose = (value: string) => {
    const next = value === '' ? undefined : value;
    if (onServiceChange) onServiceChange(next);
    else setOwnService(next);
  };

  const togglePause = () => {
    if (paused) terminalRef.current?.resume();
    else terminalRef.current?.pause();
    setPaused(!paused);
  };

  const copy = () => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    terminal.copy().then(
      (text) => setNotice(`copied ${number.format(text === '' ? 0 : text.split('\n').length)} lines`),
      (error: unknown) => setNotice(`could not copy: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const found = event.shiftKey ? terminalRef.current?.findPrevious(query) : terminalRef.current?.findNext(query);
      setNotice(query === '' || found ? '' : `no match for “${query}”`);
    } else if (event.key === 'Escape') terminalRef.current?.focus();
  };

  // In the capture phase: xterm stops the propagation of the keys it handles.
  const onViewKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
    event.preventDefault();
    searchRef.current?.focus();
    searchRef.current?.select();
  };

  const label = selected === undefined ? 'all services' : selected;
  const skipped = stats.skipped > 0 ? ` · ${number.format(stats.skipped)} skipped` : '';
  const status = paused ? `paused · ${number.format(stats.waiting)} waiting${skipped}` : `following ${label} · ${number.format(stats.written)} lines${skipped}`;
  const choices = selected === undefined || services.includes(selected) ? services : [...services, selected];

  return (
    <section className="log-view" data-testid="log-view" onKeyDownCapture={onViewKey}>
      <div className="log-view__toolbar" role="toolbar" aria-label="Log controls">
        <select aria-label="Service whose log is shown" value={selected ?? ''} onChange={(event) => choose(event.target.value)}>
          <option value="">All services</option>
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="button" aria-label={paused ? 'Follow the log' : 'Pause the log'} aria-pressed={paused} onClick={togglePause}>
          {paused ? 'Follow' : 'Pause'}
        </button>
        <input
          ref={searchRef}
          type="search"
          placeholder="Search (/)"
          aria-label="Search the log: Enter for the next match, Shift+Enter for the previous"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onSearchKey}
        />
        <button type="button" aria-label="Clear the log" onClick={() => terminalRef.current?.clear()}>
          Clear
        </button>
        <button type="button" aria-label="Copy the selection, or the whole log when nothing is selected" onClick={copy}>
          Copy
        </button>
        <span className="log-view__status" data-testid="log-status">
          {status}
        </span>
        <span className="log-view__notice" role="status">
          {notice}
        </span>
      </div>
      {/* aria-live off: xterm redraws every row as it scrolls, which a live region would read out as noise. */}
      <div ref={hostRef} className="log-view__terminal" role="log" aria-live="off" aria-label={`Logs of ${label}`} />
    </section>
  );
}
