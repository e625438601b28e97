/** Asked when the engine refused a stop because running services need it: names them as the engine did, in the order they stop. */
import { useEffect, useRef } from 'react';
import { useUi } from '../../state/ui-store';
import { useServiceAction } from './use-service-actions';
import { ConfirmMenu } from '../../components/confirm-menu';

export function StopConfirmation() {
  const request = useUi((s) => s.stopRequest);
  const askStop = useUi((s) => s.askStop);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (request && !dialog.current?.open) dialog.current?.showModal();
    if (!request && dialog.current?.open) dialog.current.close();
  }, [request]);
  return (
    <dialog ref={dialog} className="confirm" aria-labelledby="stop-title" onClose={() => askStop(undefined)} data-testid="stop-confirmation">
      {request ? <Body name={request.name} dependents={request.dependents} done={() => askStop(undefined)} /> : null}
    </dialog>
  );
}

function Body({ name, dependents, done }: { name: string; dependents: readonly string[]; done: () => void }) {
  const { act } = useServiceAction(name);
  return (
    <form method="dialog">
      <h2 id="stop-title">Stop {name}?</h2>
      <p>
        {dependents.length === 1 ? 'This running service needs it and stops first:' : `These ${dependents.length} running services need it and stop first:`}
      </p>
      <ul className="blast-radius">
        {dependents.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      <ConfirmMenu confirm={`Stop ${dependents.length + 1} services`} onConfirm={() => act('stop-cascade')} onCancel={done} />
    </form>
  );
}
