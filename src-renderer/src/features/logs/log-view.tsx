/**
 * The logs of one service, or of all merged by time: a toolbar over a LogTerminal. Log text goes
 * from the follow into a bounded LogStore and, when the filter keeps it, straight into the
 * terminal; React holds only the controls and a status sampled a few times a second, so a flood
 * never re-renders per line. A filter, a toggle or older lines rewrite the terminal from the store.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LogStreamName } from '@shared/contract/log-filter';
import type { ContractClient } from '../../api/contract-client';
import { LogBatcher } from './log-batcher';
import { followLogs, loadOlder } from './log-follow';
import { keptAsText, renderEntry, renderKept, type DisplayOptions } from './log-render';
import { compileQuery, EVERYTHING, type CompiledQuery, LogStore, MAX_HELD, MAX_QUERY, type HeldEntry, type LogQuery } from './log-store';
import { LogTerminal, pageTheme, type LogTerminalStats } from './log-terminal';
import type { ThemeName } from './log-terminal-theme';
import { LogToolbar } from './log-toolbar';
import './log-view.css';

const STATUS_MS = 250;
/** Typing settles this long before the terminal is rewritten: each key still feels immediate. */
const FILTER_MS = 120;
const number = new Intl.NumberFormat('en-US');

interface Status extends LogTerminalStats {
  readonly total: number;
  readonly matched: number;
  readonly full: boolean;
}
const idle: Status = { paused: false, written: 0, waiting: 0, skipped: 0, total: 0, matched: 0, full: false };
const sameStatus = (a: Status, b: Status) => (Object.keys(a) as (keyof Status)[]).every((key) => a[key] === b[key]);

/** Where typing belongs to a field (xterm's own helper textarea takes no typing: stdin is off). */
const isTypingTarget = (target: EventTarget) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLTextAreaElement && !target.classList.contains('xterm-helper-textarea')));

/** A file download of text, without navigating: an <a download> of a blob: URL (in Electron too: no will-navigate). */
function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the browser reads it asynchronously
}

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
  const storeRef = useRef(new LogStore());
  const [ownService, setOwnService] = useState(service);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState<LogQuery>(EVERYTHING);
  const [wrap, setWrap] = useState(true);
  const [timestamps, setTimestamps] = useState(true);
  const [status, setStatus] = useState(idle);
  const [theme, setTheme] = useState<ThemeName>(pageTheme);
  /** The filter applied (query is what is typed; this, once it settled and compiled). */
  const [applied, setApplied] = useState<CompiledQuery | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const [loading, setLoading] = useState(false);
  const selected = onServiceChange ? service : ownService;
  const shownKey = (selected === undefined ? services : [selected]).join('\n'); // a stable dependency, whatever the array's identity
  const names = shownKey === '' ? [] : shownKey.split('\n');
  const merged = selected === undefined;
  const display = useRef<DisplayOptions>({ merged: undefined, timestamps: true, cutAt: undefined });
  display.current = {
    merged: merged ? names : undefined,
    timestamps,
    cutAt: wrap ? undefined : terminalRef.current?.columns,
    highlight: applied?.pattern,
    theme,
  };

  const rewrite = () => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    display.current = { ...display.current, cutAt: wrap ? undefined : terminal.columns };
    const { text, lines } = renderKept(storeRef.current, display.current);
    terminal.rewrite(text, lines);
  };
  const rewriteRef = useRef(rewrite);
  rewriteRef.current = rewrite;

  useEffect(() => {
    const store = storeRef.current;
    let resized: ReturnType<typeof setTimeout> | undefined;
    const onColumns = () => {
      clearTimeout(resized);
      if (display.current.cutAt !== undefined) resized = setTimeout(() => rewriteRef.current(), FILTER_MS);
    };
    const terminal = new LogTerminal(hostRef.current!, new LogBatcher({ command: 'provisioning platform logs' }), onColumns, setTheme);
    terminalRef.current = terminal;
    const timer = setInterval(() => {
      const next = { ...terminal.stats(), total: store.total, matched: store.matched, full: store.full };
      setStatus((previous) => (sameStatus(previous, next) ? previous : next));
    }, STATUS_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(resized);
      terminal.dispose();
      terminalRef.current = null;
    };
  }, []);

  useEffect(() => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    const shown = shownKey === '' ? [] : shownKey.split('\n');
    const store = storeRef.current;
    store.clear();
    terminal.reset(new LogBatcher({ command: selected === undefined ? 'provisioning platform logs' : `provisioning services logs ${selected}` }));
    const add = (entry: HeldEntry, count = 1) => {
      if (store.add(entry)) terminal.append(renderEntry(entry, display.current), count);
    };
    return followLogs(client, shown, {
      line: (name, line) => add({ kind: 'line', service: name, line }),
      gap: (name, from, to) => add({ kind: 'gap', service: name, from, to }, to - from + 1),
      note: (text) => add({ kind: 'note', text }, 0),
    });
  }, [client, shownKey, selected]);

  // A new filter, settled: judged against every held line, the terminal rewritten, the matches lit.
  useEffect(() => {
    const timer = setTimeout(() => {
      const compiled = compileQuery(query);
      if (compiled instanceof Error) return setNotice(compiled.message);
      setNotice('');
      storeRef.current.setQuery(compiled);
      setApplied(compiled); // the rewrite follows, with the matches lit
      terminalRef.current?.setHighlight(query.text === '' ? undefined : { term: query.text, regex: query.regex, caseSensitive: query.caseSensitive });
    }, FILTER_MS);
    return () => clearTimeout(timer);
  }, [query]);

  // What is shown and how (the filter, toggles, the theme's fill for matches): written again at once.
  useEffect(() => rewriteRef.current(), [applied, wrap, timestamps, theme]);

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

  const save = () => {
    const text = keptAsText(storeRef.current, display.current);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    download(text, `${merged ? 'all-services' : selected}-${stamp}.log`);
    setNotice(`downloaded ${number.format(storeRef.current.matched)} lines`);
  };

  const older = async () => {
    const store = storeRef.current;
    const before = new Map<string, number>();
    for (const name of names) {
      const seq = store.oldestSeq(name);
      if (seq !== undefined && seq > 1) before.set(name, seq);
    }
    if (before.size === 0) return setNotice('no older lines: the oldest kept is shown');
    setLoading(true);
    try {
      const page = await loadOlder(client, before);
      const taken = store.prepend(page.lines.map(({ name, line }): HeldEntry => ({ kind: 'line', service: name, line })));
      page.notes.forEach((note) => store.add({ kind: 'note', text: note }));
      if (taken > 0) rewriteRef.current();
      setNotice(page.notes[0] ?? (taken > 0 ? `loaded ${number.format(taken)} older lines` : 'no older lines: the oldest kept is shown'));
    } finally {
      setLoading(false);
    }
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const found = event.shiftKey ? terminalRef.current?.findNext() : terminalRef.current?.findPrevious();
      if (query.text !== '' && !found) setNotice(`no match for “${query.text}”`);
    } else if (event.key === 'Escape') terminalRef.current?.focus();
  };

  // In the capture phase: xterm stops the propagation of the keys it handles.
  const onViewKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
    event.preventDefault();
    searchRef.current?.focus();
    searchRef.current?.select();
  };

  const toggleStream = (stream: LogStreamName) => {
    const streams = new Set(query.streams);
    if (!streams.delete(stream)) streams.add(stream);
    setQuery({ ...query, streams });
  };
  const toggleService = (name: string) => {
    const hiddenServices = new Set(query.hiddenServices);
    if (!hiddenServices.delete(name)) hiddenServices.add(name);
    setQuery({ ...query, hiddenServices });
  };

  const label = selected === undefined ? 'all services' : selected;
  const skipped = status.skipped > 0 ? ` · ${number.format(status.skipped)} skipped` : '';
  const following = paused ? `paused · ${number.format(status.waiting)} waiting${skipped}` : `following ${label}${skipped}`;
  const filtering = query.text !== '' || query.streams.size < EVERYTHING.streams.size || query.hiddenServices.size > 0;
  const count = filtering ? `${number.format(status.matched)} of ${number.format(status.total)} lines` : `${number.format(status.total)} lines`;
  const choices = selected === undefined || services.includes(selected) ? services : [...services, selected];

  return (
    <section className="log-view" data-testid="log-view" onKeyDownCapture={onViewKey}>
      <LogToolbar
        services={choices}
        selected={selected}
        onChoose={choose}
        paused={paused}
        onTogglePause={togglePause}
        searchRef={searchRef}
        query={query}
        maxQuery={MAX_QUERY}
        onQuery={setQuery}
        onSearchKey={onSearchKey}
        onToggleStream={toggleStream}
        merged={merged ? names : undefined}
        onToggleService={toggleService}
        wrap={wrap}
        onToggleWrap={() => setWrap(!wrap)}
        timestamps={timestamps}
        onToggleTimestamps={() => setTimestamps(!timestamps)}
        olderDisabled={loading || status.full}
        olderTitle={
          status.full
            ? `the view holds ${number.format(MAX_HELD)} lines; older ones: ${merged ? 'provisioning platform logs' : `provisioning services logs ${selected} --lines N`}`
            : undefined
        }
        onOlder={() => void older()}
        onClear={() => {
          storeRef.current.clear();
          terminalRef.current?.clear();
        }}
        onCopy={copy}
        onDownload={save}
      />
      <div className="log-view__meta">
        <span className="log-view__count" data-testid="log-count">
          {count}
        </span>
        <span className="log-view__status" data-testid="log-status">
          {following}
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
