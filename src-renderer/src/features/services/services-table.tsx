/**
 * Every service as one dense row, grouped by label as the cards are: state, health latency,
 * uptime, restarts, last exit, ports as links, CPU and memory (a dash until the owner samples them),
 * auto-start and labels; each column sorts on a header click (aria-sort). Rows are selected with
 * their checkbox (shift-click: a range; the header's box: all shown) for bulk Start / Stop / Restart,
 * each enabled when a selected service allows it. Keyboard: one tab stop for the rows (roving
 * tabindex), ArrowUp/Down/Home/End move, Space selects, Enter opens the service's detail view.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GraphService } from '@shared/contract/registry';
import { actionsOf } from '@shared/contract/service-actions';
import { isRunning, type ServiceAction, type ServiceStatus } from '@shared/contract/service-state';
import { toneOf } from '@shared/contract/state-meaning';
import { ServiceLinks } from '../../components/service-links';
import { DriftBadge } from '../drift/drift-badge';
import type { ServiceGroup } from '../../state/service-groups';
import { carrying, UNGROUPED } from '../../state/service-groups';
import { memoryText, nextSort, portLinks, sortNames, toggledSelection, type Sort, type SortKey } from '../../state/service-table';
import { formatUptime } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { GroupHeader } from './group-header';
import { useBulkAction } from './use-service-actions';

const COLUMNS: readonly { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'state', label: 'State' },
  { key: 'latency', label: 'Health', numeric: true },
  { key: 'uptime', label: 'Uptime', numeric: true },
  { key: 'restarts', label: 'Restarts', numeric: true },
  { key: 'lastExit', label: 'Last exit' },
  { key: 'ports', label: 'Ports' },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'autoStart', label: 'Auto-start' },
  { key: 'labels', label: 'Labels' },
];

interface Props {
  readonly groups: readonly ServiceGroup[];
  /** Whether the groups get headers (some service has a label). */
  readonly grouped: boolean;
  readonly statuses: ReadonlyMap<string, ServiceStatus>;
  readonly services: readonly GraphService[];
  readonly now: number;
}

export function ServicesTable({ groups, grouped, statuses, services, now }: Props) {
  const byName = useMemo(() => new Map(services.map((s) => [s.name, s])), [services]);
  const collapsed = useUi((s) => s.collapsed);
  const openDetail = useUi((s) => s.openDetail);
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string>();
  const [focused, setFocused] = useState<string>();
  const rows = useRef(new Map<string, HTMLTableRowElement>());
  const bulk = useBulkAction(services);

  const sortedGroups = useMemo(
    () => groups.map((group) => ({ ...group, names: sortNames(group.names, sort, statuses, byName) })),
    [groups, sort, statuses, byName],
  );
  // The rows in the order shown (folded groups have none): what the arrows and a shift-click range walk.
  const shown = useMemo(() => sortedGroups.flatMap((g) => (grouped && collapsed.has(g.label) ? [] : g.names)), [sortedGroups, grouped, collapsed]);
  const current = focused !== undefined && shown.includes(focused) ? focused : shown[0];
  // What is selected but gone (filtered out, removed from the registry) is not acted on.
  const chosen = shown.filter((name) => selected.has(name));
  const allowing = (action: ServiceAction) => chosen.filter((name) => actionsOf(statuses.get(name)!).includes(action));

  const toggle = (name: string, range: boolean) => {
    setSelected(toggledSelection(selected, shown, name, anchor, range));
    setAnchor(name);
  };
  const onKey = (event: KeyboardEvent<HTMLTableRowElement>, name: string) => {
    // Keys inside a link or the checkbox are theirs.
    if (event.target !== event.currentTarget) return;
    const at = shown.indexOf(name);
    const moveTo = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: shown.length - 1 }[event.key];
    if (moveTo !== undefined) {
      event.preventDefault();
      // Focus moves only by these keys: a link or box focused inside a row keeps its focus.
      rows.current.get(shown[Math.max(0, Math.min(shown.length - 1, moveTo))]!)?.focus();
    } else if (event.key === ' ') {
      event.preventDefault();
      toggle(name, event.shiftKey);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      openDetail(name);
    }
  };
  const allChosen = shown.length > 0 && chosen.length === shown.length;

  const row = (name: string) => {
    const status = statuses.get(name)!;
    const service = byName.get(name);
    const running = isRunning(status);
    return (
      <tr
        key={name}
        ref={(element) => {
          if (element) rows.current.set(name, element);
          else rows.current.delete(name);
        }}
        className={`tone-${toneOf(status.state)}${selected.has(name) ? ' chosen' : ''}`}
        data-testid={`row-${name}`}
        data-state={status.state}
        tabIndex={name === current ? 0 : -1}
        aria-label={`${name}: ${status.state}`}
        onFocus={() => setFocused(name)}
        onKeyDown={(event) => onKey(event, name)}
        onDoubleClick={() => openDetail(name)}
      >
        <td className="pick">
          <input
            type="checkbox"
            tabIndex={-1}
            checked={selected.has(name)}
            aria-label={`Select ${name}`}
            onClick={(event) => toggle(name, event.shiftKey)}
            onChange={() => undefined}
          />
        </td>
        <th scope="row" className="name">
          <button type="button" className="link" tabIndex={-1} onClick={() => openDetail(name)}>
            {name}
          </button>
          <DriftBadge service={name} />
        </th>
        <td className="state">
          <span className="state-badge">{status.state}</span>
          <span className="reason">{status.reason}</span>
        </td>
        <td className="num">
          {status.health ? (
            <span className={status.health.ok ? 'pass' : 'fail'}>{`${status.health.ok ? '✓' : '✗'} ${status.health.latencyMs.toFixed(0)} ms`}</span>
          ) : (
            '–'
          )}
        </td>
        <td className="num">{running && status.startedAt ? formatUptime(now - status.startedAt) : '–'}</td>
        <td className="num">{status.restarts}</td>
        <td className="exit">{status.lastExit?.reason ?? '–'}</td>
        <td className="ports">
          <Ports ports={service?.ports ?? []} />
        </td>
        <td className="num">{status.usage ? `${status.usage.cpuPercent.toFixed(1)} %` : '–'}</td>
        <td className="num">{status.usage ? memoryText(status.usage.memoryBytes) : '–'}</td>
        <td>{service === undefined ? '–' : service.autoStart ? 'yes' : 'no'}</td>
        <td className="labels">{service?.labels?.length ? service.labels.join(', ') : '–'}</td>
      </tr>
    );
  };

  return (
    <div className="services-table-wrap">
      <div className="bulk-actions" role="toolbar" aria-label="Selected services">
        <span className="count" aria-live="polite">
          {chosen.length} selected
        </span>
        {(['start', 'stop', 'restart'] as const).map((action) => (
          <button
            key={action}
            type="button"
            disabled={bulk.pending !== undefined || allowing(action).length === 0}
            onClick={() => bulk.act(action, allowing(action))}
          >
            {bulk.pending === action ? `${BULK_LABEL[action].pending}…` : `${BULK_LABEL[action].label} selected`}
          </button>
        ))}
      </div>
      <table className="services-table" aria-label="Services">
        <thead>
          <tr>
            <th scope="col" className="pick">
              <input
                type="checkbox"
                aria-label="Select all shown services"
                checked={allChosen}
                ref={(box) => {
                  if (box) box.indeterminate = chosen.length > 0 && !allChosen;
                }}
                onChange={() => setSelected(allChosen ? new Set() : new Set(shown))}
              />
            </th>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                className={column.numeric ? 'num' : undefined}
                aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" className="sort" onClick={() => setSort(nextSort(sort, column.key))}>
                  {column.label}
                  <span aria-hidden="true">{sort.key === column.key ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        {sortedGroups.map((group) => (
          <tbody key={group.label} aria-label={grouped ? `${group.label || 'other'} services` : undefined}>
            {grouped ? (
              <tr className="group-row">
                <td colSpan={COLUMNS.length + 1}>
                  <GroupHeader group={group} actsOn={group.label === UNGROUPED ? [] : carrying(services, group.label)} />
                </td>
              </tr>
            ) : null}
            {grouped && collapsed.has(group.label) ? null : group.names.map(row)}
          </tbody>
        ))}
      </table>
      {shown.length === 0 ? <p className="hint">No service matches.</p> : null}
    </div>
  );
}

/** TCP ports as links to 127.0.0.1 (desktop: the system browser), UDP ones as text. */
function Ports({ ports }: { ports: readonly string[] }) {
  const links = portLinks(ports);
  const other = ports.filter((port) => !links.some((link) => port === link.name || port === `${link.name}/tcp`));
  if (ports.length === 0) return <>–</>;
  return (
    <>
      <ServiceLinks links={links} compact />
      {other.length > 0 ? <span className="udp">{other.join(', ')}</span> : null}
    </>
  );
}

const BULK_LABEL = {
  start: { label: 'Start', pending: 'Starting' },
  stop: { label: 'Stop', pending: 'Stopping' },
  restart: { label: 'Restart', pending: 'Restarting' },
} as const;
