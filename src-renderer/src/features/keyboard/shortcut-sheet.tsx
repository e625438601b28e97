/** `?`: every keyboard shortcut of the control center, in a dialog (Escape or Close ends it). */
import { useEffect, useState } from 'react';
import { isTyping } from './keys';
import { useModalDialog } from '../../components/use-modal-dialog';

export interface ViewKey {
  readonly label: string;
  readonly key: string;
}

const GENERAL: readonly (readonly [string, string])[] = [
  ['/', 'Search services'],
  ['Ctrl+K  ⌘K', 'Command palette: start, stop, restart, logs, why by service name'],
  ['Esc', 'Deselect, clear a highlight, close a dialog'],
  ['?', 'This sheet'],
  ['← →', 'Move between the view tabs (on a tab)'],
  ['Tab', 'Into the graph: one stop; then arrow keys move between services'],
  ['Enter', 'Open the focused service (on the graph or in the table)'],
  ['Delete', 'Remove the selected dependency edge'],
  ['Ctrl+Z', 'Undo the last dependency edit'],
];

export function ShortcutSheet({ views }: { views: readonly ViewKey[] }) {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const rows = [...views.map((view) => [view.key, `${view.label} view`] as const), ...GENERAL];
  return (
    <dialog ref={dialog} className="confirm shortcut-sheet" aria-labelledby="shortcuts-title" onClose={() => setOpen(false)} data-testid="shortcut-sheet">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        {rows.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <menu>
          <button type="submit" autoFocus>
            Close
          </button>
        </menu>
      </form>
    </dialog>
  );
}
