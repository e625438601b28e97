/**
 * Editing the graph: a connection adds a dependency, a deleted edge removes one, each written back
 * to the registry file by the engine (only that `dependencies` array changes) and undoable. With
 * override files the person is asked which file gets the list (file-choice.tsx), and the undo writes
 * the file the edit wrote. A cycle
 * is refused before anything is sent, with the cycle shown on the graph; an edit that would change
 * nothing is not sent nor recorded. Edits and undos run one after another (so an undo clicked during
 * a save undoes that save), and the undo history outlives the graph view.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { DependencyEdit, RegistryGraph } from '@shared/contract/registry';
import { useClient, useRegistry } from '../../api/client-context';
import { cycleIfAdded } from '../../state/service-view';
import { useUi } from '../../state/ui-store';
import { askFile } from './file-choice';

const useHistory = create<{ readonly done: readonly DependencyEdit[] }>(() => ({ done: [] }));
let queue: Promise<unknown> = Promise.resolve();
const inTurn = (step: () => Promise<void>) => void (queue = queue.then(step));
const inverse = (edit: DependencyEdit): DependencyEdit => ({ ...edit, action: edit.action === 'add' ? 'remove' : 'add' });

export function useDependencyEditing() {
  const client = useClient();
  const queries = useQueryClient();
  const registry = useRegistry();
  const undoable = useHistory((s) => s.done.length);
  // Steps run later, in turn: they read the graph as it is then, not as it was when queued.
  const services = useRef(registry.services);
  services.current = registry.services;

  /** Without override files, undefined (the registry file); with them, the one the person chose, or null: cancelled. */
  const chosenFile = async (service: string, what: string): Promise<string | undefined | null> => {
    const graph = queries.getQueryData<RegistryGraph>(['graph']);
    if (!graph?.overrides?.length) return undefined;
    const preselected = services.current.find((s) => s.name === service)?.dependenciesFile ?? graph.file;
    return (await askFile({ what, service, files: [graph.file, ...graph.overrides], preselected })) ?? null;
  };

  const apply = async (edit: DependencyEdit, record: boolean) => {
    const { notify, setHighlight } = useUi.getState();
    const present = services.current.find((s) => s.name === edit.service)?.dependencies.includes(edit.dependency) ?? false;
    if (present === (edit.action === 'add'))
      return void notify('info', `${edit.service} ${present ? 'already depends' : 'does not depend'} on ${edit.dependency}`);
    const cycle = edit.action === 'add' ? cycleIfAdded(services.current, edit.service, edit.dependency) : undefined;
    if (cycle) {
      // Drawn as long as the notice that explains it is shown.
      const notice = notify('error', `Refused: ${edit.service} depending on ${edit.dependency} would make a cycle: ${cycle.join(' → ')}`);
      return setHighlight({ kind: 'cycle', names: cycle, notice });
    }
    const what = `${edit.service} ${edit.action === 'add' ? 'now depends on' : 'no longer depends on'} ${edit.dependency}`;
    const file = edit.file ?? (await chosenFile(edit.service, what));
    if (file === null) return;
    try {
      const graph = await client.call('editDependency', { ...edit, ...(file ? { file } : {}) });
      queries.setQueryData(['graph'], graph);
      services.current = graph.services ?? services.current;
      const wrote = graph.written ?? file;
      if (record) useHistory.setState(({ done }) => ({ done: [...done, { ...edit, ...(wrote ? { file: wrote } : {}) }] }));
      notify('info', `${what} (saved to ${graph.written ?? graph.file})`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  const undo = () =>
    inTurn(async () => {
      const last = useHistory.getState().done.at(-1);
      if (!last) return;
      useHistory.setState(({ done }) => ({ done: done.slice(0, -1) }));
      await apply(inverse(last), false);
    });
  const undoRef = useRef(undo);
  undoRef.current = undo;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'z' && !(event.target instanceof HTMLInputElement)) undoRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return {
    addDependency: (service: string, dependency: string) => inTurn(() => apply({ service, dependency, action: 'add' }, true)),
    removeDependency: (service: string, dependency: string) => inTurn(() => apply({ service, dependency, action: 'remove' }, true)),
    undo,
    undoable,
  };
}
