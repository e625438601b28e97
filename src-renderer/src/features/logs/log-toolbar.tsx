/**
 * The log view's controls, stateless: which service, follow or pause, the filter (text or pattern,
 * case, streams, services of the merged view), display toggles and the actions on what is shown.
 * Toggles are buttons with aria-pressed, so their state is read out and styled the same way.
 */
import type { KeyboardEvent, RefObject } from 'react';
import type { LogStreamName } from '@shared/contract/log-filter';
import { Tooltip } from '../../components/tooltip';
import type { LogQuery } from './log-store';

const STREAMS: readonly { stream: LogStreamName; label: string; title: string }[] = [
  { stream: 'out', label: 'out', title: 'standard output' },
  { stream: 'err', label: 'err', title: 'standard error' },
  { stream: 'evt', label: 'lifecycle', title: 'lifecycle events' },
];

interface ToggleProps {
  pressed: boolean;
  label: string;
  onToggle: () => void;
  children: string;
}

function Toggle({ pressed, label, onToggle, children }: ToggleProps) {
  return (
    // The name starts with the visible text (WCAG 2.5.3, axe's label-content-name-mismatch): speech users say what they see.
    <button type="button" aria-label={`${children}: ${label}`} aria-pressed={pressed} onClick={onToggle}>
      {children}
    </button>
  );
}

export interface LogToolbarProps {
  services: readonly string[];
  selected: string | undefined;
  onChoose: (value: string) => void;
  paused: boolean;
  onTogglePause: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
  query: LogQuery;
  maxQuery: number;
  onQuery: (query: LogQuery) => void;
  onSearchKey: (event: KeyboardEvent<HTMLInputElement>) => void;
  onToggleStream: (stream: LogStreamName) => void;
  /** The merged view's services (undefined: one service shown, no service filter). */
  merged: readonly string[] | undefined;
  onToggleService: (name: string) => void;
  wrap: boolean;
  onToggleWrap: () => void;
  timestamps: boolean;
  onToggleTimestamps: () => void;
  olderDisabled: boolean;
  /** What Older does now (its popover). */
  olderNote: string;
  onOlder: () => void;
  onClear: () => void;
  onCopy: () => void;
  onDownload: () => void;
}

export function LogToolbar(props: LogToolbarProps) {
  const { query, onQuery, merged } = props;
  return (
    <div className="log-view__toolbar" role="toolbar" aria-label="Log controls">
      <select aria-label="Service whose log is shown" value={props.selected ?? ''} onChange={(event) => props.onChoose(event.target.value)}>
        <option value="">All services</option>
        {props.services.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <button type="button" aria-label={props.paused ? 'Follow the log' : 'Pause the log'} aria-pressed={props.paused} onClick={props.onTogglePause}>
        {props.paused ? 'Follow' : 'Pause'}
      </button>
      <span className="log-view__group" role="group" aria-label="Filter">
        <input
          ref={props.searchRef}
          type="search"
          placeholder="Filter (/)"
          maxLength={props.maxQuery}
          aria-label="Filter the log: only matching lines are shown; Enter for the previous match, Shift+Enter for the next"
          value={query.text}
          onChange={(event) => onQuery({ ...query, text: event.target.value })}
          onKeyDown={props.onSearchKey}
        />
        <Toggle pressed={query.regex} label="Filter as a regular expression" onToggle={() => onQuery({ ...query, regex: !query.regex })}>
          .*
        </Toggle>
        <Toggle pressed={query.caseSensitive} label="Match case" onToggle={() => onQuery({ ...query, caseSensitive: !query.caseSensitive })}>
          Aa
        </Toggle>
      </span>
      <span className="log-view__group" role="group" aria-label="Streams shown">
        {STREAMS.map(({ stream, label, title }) => (
          <Toggle key={stream} pressed={query.streams.has(stream)} label={`Show ${title}`} onToggle={() => props.onToggleStream(stream)}>
            {label}
          </Toggle>
        ))}
      </span>
      {merged && merged.length > 1 ? (
        <details className="log-view__services">
          <summary>
            Services {merged.length - merged.filter((name) => query.hiddenServices.has(name)).length}/{merged.length}
          </summary>
          <div className="log-view__services-list" role="group" aria-label="Services shown">
            {merged.map((name) => (
              <label key={name}>
                <input type="checkbox" checked={!query.hiddenServices.has(name)} onChange={() => props.onToggleService(name)} /> {name}
              </label>
            ))}
          </div>
        </details>
      ) : null}
      <span className="log-view__group" role="group" aria-label="Display">
        <Toggle pressed={props.wrap} label="Wrap long lines" onToggle={props.onToggleWrap}>
          Wrap
        </Toggle>
        <Toggle pressed={props.timestamps} label="Show timestamps" onToggle={props.onToggleTimestamps}>
          Time
        </Toggle>
      </span>
      <Tooltip text={props.olderNote}>
        <button type="button" aria-label="Load older lines" disabled={props.olderDisabled} onClick={props.onOlder}>
          Older
        </button>
      </Tooltip>
      <button type="button" aria-label="Clear the log" onClick={props.onClear}>
        Clear
      </button>
      <button type="button" aria-label="Copy the selection, or the whole log when nothing is selected" onClick={props.onCopy}>
        Copy
      </button>
      <button type="button" aria-label="Download the lines shown" onClick={props.onDownload}>
        Download
      </button>
    </div>
  );
}
