/**
 * The logs of one service, or of all merged by time: a toolbar over a LogTerminal. Log text goes
 * from the follow into a bounded LogStore and, when the filter keeps it, straight into the
 * terminal; React holds only the controls and a status sampled a few times a second, so a flood
 * never re-renders per line. A filter, a toggle or older lines rewrite the terminal from the store.
 * Reading back (older lines, or a line an event links to: ui-store.ts's logReveal) pauses the follow
 * and says so, as a terminal's scrollback does; where the store had to let go of its newest lines
 * to hold the older ones, the view no longer follows at all until Follow reads the tail again.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LogStreamName } from '@shared/contract/log-filter';
import type { ContractClient } from '../../api/contract-client';
import { useUi } from '../../state/ui-store';
import { LogBatcher } from './log-batcher';
import { followLogs, loadOlder } from './log-follow';
import { keptAsText, renderEntry, renderKept, type DisplayOptions } from './log-render';
import { compileQuery, EVERYTHING, type CompiledQuery, LogStore, MAX_HELD, MAX_QUERY, type HeldEntry, type LogQuery } from './log-store';
import { planReveal } from './log-reveal';
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
  /** Lines that arrived while the view read back without following (not held, not shown). */
  readonly newer: number;
}
const idle: Status = { paused: false, written: 0, waiting: 0, skipped: 0, total: 0, matched: 0, full: false, newer: 0 };
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
  /** The store let go of its newest lines for older ones: lines that arrive are counted, not held. */
  const [detached, setDetached] = useState(false);
  const detachedRef = useRef(false);
  const newerRef = useRef(0);
  /** Bumped by Follow after reading back: the follow starts again from the tail. */
  const [generation, setGeneration] = useState(0);
  /** Which follow (runRef) has its first tails in: a line asked for is looked for after that. */
  const runRef = useRef(0);
  const [loadedRun, setLoadedRun] = useState(-1);
  const reveal = useUi((s) => s.logReveal);
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

  /** The store written to the terminal again; how many entries it shows. */
  const rewrite = (): number => {
    const terminal = terminalRef.current;
    if (!terminal) return 0;
    display.current = { ...display.current, cutAt: wrap ? undefined : terminal.columns };
    const { text, lines, entries } = renderKept(storeRef.current, display.current);
    terminal.rewrite(text, lines);
    return entries;
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
      const next = { ...terminal.stats(), total: store.total, matched: store.matched, full: store.full, newer: newerRef.current };
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
    detachedRef.current = false;
    newerRef.current = 0;
    setDetached(false);
    const run = ++runRef.current;
    terminal.reset(new LogBatcher({ command: selected === undefined ? 'provisioning platform logs' : `provisioning services logs ${selected}` }));
    const add = (entry: HeldEntry, count = 1) => {
      if (detachedRef.current && entry.kind !== 'note') return void (newerRef.current += count); // held, they would follow a hole
      if (store.add(entry)) terminal.append(renderEntry(entry, display.current), count);
    };
    return followLogs(client, shown, {
      line: (name, line) => add({ kind: 'line', service: name, line }),
      gap: (name, from, to) => add({ kind: 'gap', service: name, from, to }, to - from + 1),
      note: (text) => add({ kind: 'note', text }, 0),
      loaded: () => setLoadedRun(run),
    });
  }, [client, shownKey, selected, generation]);

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
  useEffect(() => void rewriteRef.current(), [applied, wrap, timestamps, theme]);

  const choose = (value: string) => {
    const next = value === '' ? undefined : value;
    if (onServiceChange) onServiceChange(next);
    else setOwnService(next);
  };

  const togglePause = () => {
    if (paused || detached) terminalRef.current?.resume();
    else terminalRef.current?.pause();
    setPaused(!paused && !detached);
    if (detached) setGeneration((g) => g + 1); // what was let go comes back with the tail
  };

  /** After older lines went in: the follow paused, or, where the newest were let go (`dropped`), stopped. */
  const readingBack = (dropped: boolean) => {
    if (dropped) {
      detachedRef.current = true;
      setDetached(true);
    } else {
      terminalRef.current?.pause();
      setPaused(true);
    }
  };
  const pausedNote = (dropped: boolean) =>
    dropped ? `following stopped: the newest lines were let go for these (Follow reads them again)` : 'following paused (Follow goes on)';

  /** The service's line `seq` brought into view and selected, older lines read to reach it. */
  const showLine = async (name: string, seq: number) => {
    const store = storeRef.current;
    const plan = planReveal(seq, store.oldestSeq(name), store.holds(name, seq), MAX_HELD);
    let dropped = false;
    if (plan.kind !== 'held') {
      setLoading(true);
      try {
        const lines = await client.call('logTail', { name, lines: plan.lines, before: plan.before });
        const entries = lines.map((line): HeldEntry => ({ kind: 'line', service: name, line }));
        if (plan.kind === 'window') {
          dropped = true;
          store.clear();
          entries.forEach((entry) => store.add(entry));
        } else dropped = store.prepend(entries).dropped > 0;
      } catch (error) {
        return setNotice(`could not read line ${seq} of ${name}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        setLoading(false);
      }
    }
    readingBack(dropped);
    const count = rewriteRef.current();
    const index = store.keptIndexOf(name, seq);
    if (index >= 0) {
      terminalRef.current?.reveal(index, count, true);
      return setNotice(`line ${number.format(seq)} of ${name} · ${pausedNote(dropped)}`);
    }
    setNotice(
      store.holds(name, seq)
        ? `line ${number.format(seq)} of ${name} is hidden by the filter`
        : `line ${number.format(seq)} of ${name} is no longer in its log files`,
    );
  };

  // A line asked for (an event's "log"), once this service's first tail is in and the filter applied
  // (applying it rewrites the terminal, which would scroll the line away again).
  useEffect(() => {
    if (!reveal || reveal.service !== selected || loadedRun !== runRef.current || applied === undefined) return;
    useUi.getState().revealed(reveal.id);
    void showLine(reveal.service, reveal.seq);
    // showLine reads the view as it is then: only a new request, or a follow that is ready, runs it.
  }, [reveal, selected, loadedRun, applied]);

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
      const { taken, dropped } = store.prepend(page.lines.map(({ name, line }): HeldEntry => ({ kind: 'line', service: name, line })));
      page.notes.forEach((note) => store.add({ kind: 'note', text: note }));
      if (taken > 0) {
        readingBack(dropped > 0);
        const count = rewriteRef.current();
        // The seam in view: the newest of the lines read, a third of the way down, the lines held before below it.
        const newest = page.lines.at(-1)!;
        const index = store.keptIndexOf(newest.name, newest.line.seq);
        if (index >= 0) terminalRef.current?.reveal(index, count, false);
      }
      setNotice(
        page.notes[0] ?? (taken > 0 ? `loaded ${number.format(taken)} older lines · ${pausedNote(dropped > 0)}` : 'no older lines: the oldest kept is shown'),
      );
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
  const following = detached
    ? `reading older lines, not following · ${number.format(status.newer)} newer not shown`
    : paused
      ? `paused · ${number.format(status.waiting)} waiting${skipped}`
      : `following ${label}${skipped}`;
  const filtering = query.text !== '' || query.streams.size < EVERYTHING.streams.size || query.hiddenServices.size > 0;
  const count = filtering ? `${number.format(status.matched)} of ${number.format(status.total)} lines` : `${number.format(status.total)} lines`;
  const choices = selected === undefined || services.includes(selected) ? services : [...services, selected];

  return (
    <section className="log-view" data-testid="log-view" onKeyDownCapture={onViewKey}>
      <LogToolbar
        services={choices}
        selected={selected}
        onChoose={choose}
        paused={paused || detached}
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
        olderDisabled={loading}
        olderNote={
          status.full
            ? `The view holds ${number.format(MAX_HELD)} lines: older ones take the place of the newest, and following stops until Follow.`
            : 'Reads the lines before the oldest shown from the log files; following pauses while you read.'
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
