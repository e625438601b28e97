/**
 * Ctrl+K (Cmd+K): a command palette over any view — type part of a service's name (and of the
 * action) to Start, Stop, Restart it, open its Logs or its Why (the detail view). Actions run
 * through the same path the cards use (serviceAction: a stop that running services would feel
 * asks first). A modal dialog: a combobox over a listbox, arrows choose, Enter runs, Escape closes.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { actionsOf } from '@shared/contract/service-actions';
import { useClient, useRegistry } from '../../api/client-context';
import { useServices } from '../../state/services-store';
import { useUi } from '../../state/ui-store';
import { serviceAction, type Action } from '../services/use-service-actions';
import { fuzzyScore } from './fuzzy';
import { useModalDialog } from '../../components/use-modal-dialog';

type Verb = Action | 'logs' | 'why';
const VERBS: readonly { verb: Verb; label: string }[] = [
  { verb: 'start', label: 'Start' },
  { verb: 'stop', label: 'Stop' },
  { verb: 'restart', label: 'Restart' },
  { verb: 'logs', label: 'Logs of' },
  { verb: 'why', label: 'Why is' },
];
const SHOWN = 12;

export function CommandPalette({ onLogs }: { onLogs: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useId();
  const client = useClient();
  const { services } = useRegistry();
  const statuses = useServices((s) => s.mirror?.services);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setQuery('');
        setActive(0);
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const commands = useMemo(() => {
    const all = services.flatMap((service) => {
      const status = statuses?.get(service.name);
      const allowed = status ? actionsOf(status) : [];
      return VERBS.filter(({ verb }) => verb === 'logs' || verb === 'why' || (allowed as readonly string[]).includes(verb)).map(({ verb, label }) => ({
        id: `${verb}:${service.name}`,
        verb,
        name: service.name,
        text: `${label} ${service.name}`,
      }));
    });
    if (!query.trim()) return all.slice(0, SHOWN);
    return all
      .map((command) => ({ command, score: fuzzyScore(query, command.text) }))
      .filter((scored): scored is { command: (typeof all)[number]; score: number } => scored.score !== undefined)
      .sort((a, b) => a.score - b.score)
      .slice(0, SHOWN)
      .map(({ command }) => command);
  }, [services, statuses, query]);
  const current = commands[Math.min(active, commands.length - 1)];

  const run = (command: (typeof commands)[number]) => {
    setOpen(false);
    const { askStop, notify, openDetail } = useUi.getState();
    if (command.verb === 'logs') return onLogs(command.name);
    if (command.verb === 'why') return openDetail(command.name);
    serviceAction(client, command.name, command.verb).then(
      ({ failure, refused }) => {
        if (refused) askStop(refused);
        if (failure) notify('error', failure);
      },
      (error: Error) => notify('error', `${command.name}: ${error.message}`),
    );
  };

  return (
    <dialog ref={dialog} className="palette" aria-label="Command palette" onClose={() => setOpen(false)} data-testid="command-palette">
      {open ? (
        <>
          <input
            autoFocus
            role="combobox"
            aria-expanded="true"
            aria-controls={list}
            aria-activedescendant={current ? `${list}-${current.id}` : undefined}
            aria-label="Command: a service name and start, stop, restart, logs or why"
            placeholder="Service name, then an action…"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
            }}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                const step = event.key === 'ArrowDown' ? 1 : -1;
                setActive((index) => (Math.min(index, commands.length - 1) + step + commands.length) % Math.max(1, commands.length));
              } else if (event.key === 'Enter' && current) {
                event.preventDefault();
                run(current);
              }
            }}
          />
          <ul id={list} role="listbox" aria-label="Commands">
            {commands.map((command) => (
              <li
                key={command.id}
                id={`${list}-${command.id}`}
                role="option"
                aria-selected={command === current}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => run(command)}
              >
                {command.text}
              </li>
            ))}
          </ul>
          {commands.length === 0 ? <p className="hint">No service or action matches “{query}”.</p> : null}
        </>
      ) : null}
    </dialog>
  );
}
