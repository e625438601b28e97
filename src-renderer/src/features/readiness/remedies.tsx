/**
 * A Preflight row's fixes, one click each (the owner names them, readiness.ts): "Start <dependency>"
 * for one that is stopped, "Stop <service>" for our service holding a port it needs — done as every
 * view does them (a stop others need asks first).
 */
import type { Remedy } from '@shared/contract/health';
import { useServiceAction } from '../services/use-service-actions';

export function Remedies({ remedies = [] }: { remedies?: readonly Remedy[] }) {
  if (remedies.length === 0) return null;
  return (
    <div className="remedies">
      {remedies.map((remedy) => (
        <RemedyButton key={`${remedy.action} ${remedy.service}`} remedy={remedy} />
      ))}
    </div>
  );
}

function RemedyButton({ remedy }: { remedy: Remedy }) {
  const { act, pending } = useServiceAction(remedy.service);
  const label = `${remedy.action === 'start' ? 'Start' : 'Stop'} ${remedy.service}`;
  return (
    <button type="button" disabled={pending !== undefined} onClick={() => act(remedy.action)}>
      {label}
    </button>
  );
}
