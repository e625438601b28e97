/**
 * The selected service's dependencies as a list — the keyboard's way to edit the graph: remove one
 * with its button, add one from the services that would not close a cycle. Same edits (and undo)
 * as dragging on the graph.
 */
import { useState } from 'react';
import { useRegistry } from '../../api/client-context';
import { cycleIfAdded } from '../../state/service-view';
import { useDependencyEditing } from './use-dependency-editing';

export function DependencyList({ name }: { name: string }) {
  const { services } = useRegistry();
  const editing = useDependencyEditing();
  const [choice, setChoice] = useState('');
  const service = services.find((s) => s.name === name);
  if (!service) return null;
  const candidates = services
    .filter((s) => s.name !== name && !service.dependencies.includes(s.name) && !cycleIfAdded(services, name, s.name))
    .map((s) => s.name);
  return (
    <section className="dependency-list" aria-label={`Dependencies of ${name}`}>
      <h3>Depends on</h3>
      {service.dependencies.length === 0 ? <p className="hint">nothing</p> : null}
      <ul>
        {service.dependencies.map((dependency) => (
          <li key={dependency}>
            {dependency}
            <button
              type="button"
              className="link"
              onClick={() => editing.removeDependency(name, dependency)}
              aria-label={`Remove ${name}'s dependency on ${dependency}`}
            >
              remove
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (choice) editing.addDependency(name, choice);
          setChoice('');
        }}
      >
        <select value={choice} onChange={(event) => setChoice(event.target.value)} aria-label={`A service for ${name} to depend on`}>
          <option value="">add a dependency…</option>
          {candidates.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!choice}>
          Add
        </button>
      </form>
    </section>
  );
}
