/**
 * Editing the graph: a connection adds a dependency, a deleted edge removes one, each written back
 * to the registry file by the engine (only that `dependencies` array changes) and undoable. A cycle
 * is refused before anything is sent, with the cycle shown on the graph. Edits and undos run one
 * after another, so an undo clicked while a save is under way undoes that save.
 */
import { useCallback, useRef, useState } from 'react';
import type { DependencyEdit } from '@shared/contract/registry';
import { useClient, useRegistry } from '../../api/client-context';
import { cycleIfAdded } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { useQueryClient } from '@tanstack/react-query';

const inverse = (edit: DependencyEdit): DependencyEdit => ({ ...edit, action: edit.action === 'add' ? 'remove' : 'add' });

export function useDependencyEditing() {
  const client = useClient();
  const queries = useQueryClient();
  const { services } = useRegistry();
  const { notify, setHighlight } = useUi.getState();
  const undoStack = useRef<DependencyEdit[]>([]);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [undoable, setUndoable] = useState(0);
  const inTurn = (step: () => Promise<void>) => (queue.current = queue.current.then(step));

  const apply = useCallback(
    async (edit: DependencyEdit, record: boolean) => {
      if (edit.action === 'add') {
        const cycle = cycleIfAdded(services, edit.service, edit.dependency);
        if (cycle) {
          setHighlight({ kind: 'cycle', names: cycle });
          notify('error', `Refused: ${edit.service} depending on ${edit.dependency} would make a cycle: ${cycle.join(' → ')}`);
          return;
        }
      }
      try {
        const graph = await client.call('editDependency', edit);
        queries.setQueryData(['graph'], graph);
        if (record) undoStack.current.push(edit);
        setUndoable(undoStack.current.length);
        notify('info', `${edit.service} ${edit.action === 'add' ? 'now depends on' : 'no longer depends on'} ${edit.dependency} (saved to ${graph.file})`);
      } catch (error) {
        notify('error', (error as Error).message);
      }
    },
    [client, queries, services, notify, setHighlight],
  );

  const undo = () =>
    inTurn(async () => {
      const last = undoStack.current.pop();
      setUndoable(undoStack.current.length);
      if (last) await apply(inverse(last), false);
    });

  return {
    addDependency: (service: string, dependency: string) => inTurn(() => apply({ service, dependency, action: 'add' }, true)),
    removeDependency: (service: string, dependency: string) => inTurn(() => apply({ service, dependency, action: 'remove' }, true)),
    undo,
    undoable,
  };
}
