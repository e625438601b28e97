/**
 * The registry file differs from what runs: what `platform update` would stop, restart, add and
 * remove (a changed service that is not running is only redefined), applied with one click.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { hasDrift, UPDATE_PLAN_KEY, useUpdatePlan } from './use-update-plan';

export function DriftBar() {
  const client = useClient();
  const queries = useQueryClient();
  const plan = useUpdatePlan();
  const [applying, setApplying] = useState(false);
  const [failure, setFailure] = useState<string>();
  if (!hasDrift(plan)) return null;
  const redefined = plan.changed.filter((name) => !plan.restart.includes(name));
  const lists: readonly [string, readonly string[]][] = [
    ['Stop', plan.stop],
    ['Restart', plan.restart],
    ['Add', plan.added],
    ['Remove', plan.removed.filter((name) => !plan.stop.includes(name))],
    ['Redefine', redefined],
  ];
  const apply = async () => {
    setApplying(true);
    setFailure(undefined);
    try {
      await client.call('update', {});
    } catch (error) {
      setFailure(`Could not apply the file: ${(error as Error).message}`);
    } finally {
      setApplying(false);
      void queries.invalidateQueries({ queryKey: [UPDATE_PLAN_KEY] });
    }
  };
  return (
    <section className="drift-bar" aria-label="Registry changes not applied" data-testid="drift-bar">
      <p>The registry file differs from what runs. Applying it will:</p>
      <dl>
        {lists
          .filter(([, names]) => names.length > 0)
          .map(([action, names]) => (
            <div key={action} data-testid={`drift-${action.toLowerCase()}`}>
              <dt>{action}</dt>
              <dd>{names.join(', ')}</dd>
            </div>
          ))}
      </dl>
      <button type="button" className="primary" disabled={applying} onClick={() => void apply()}>
        {applying ? 'Applying…' : 'Apply changes'}
      </button>
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}
