/**
 * A Preflight row's fixes, one click each (the owner names them, readiness.ts): "Start <dependency>"
 * for one that is stopped, "Stop <service>" for our service holding a port it needs — done as every
 * view does them (a stop others need asks first) — and "Stop <command> (pid N) holding port P" for
 * an outside process, behind a confirmation (stop-process-remedy.tsx).
 */
import type { Remedy } from '@shared/contract/health';
import { useServiceAction } from '../services/use-service-actions';
import { StopProcessRemedyButton } from './stop-process-remedy';

type ServiceRemedy = Extract<Remedy, { service: string }>;

/** `service`: the row's, the one the remedies are for. */
export function Remedies({ remedies = [], service }: { remedies?: readonly Remedy[]; service: string }) {
  if (remedies.length === 0) return null;
  return (
    <div className="remedies">
      {remedies.map((remedy) =>
        remedy.action === 'stop-process' ? (
          <StopProcessRemedyButton key={`${remedy.action} ${remedy.pid} ${remedy.port}`} remedy={remedy} service={service} />
        ) : (
          <RemedyButton key={`${remedy.action} ${remedy.service}`} remedy={remedy} />
        ),
      )}
    </div>
  );
}

function RemedyButton({ remedy }: { remedy: ServiceRemedy }) {
  const { act, pending } = useServiceAction(remedy.service);
  const label = `${remedy.action === 'start' ? 'Start' : 'Stop'} ${remedy.service}`;
  return (
    <button type="button" disabled={pending !== undefined} onClick={() => act(remedy.action)}>
      {label}
    </button>
  );
}
