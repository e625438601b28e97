/**
 * "Stop <command> (pid N) holding port P": an outside process of the owner's own user holds a port a
 * service needs. It is not ours, so nothing happens before the person confirms it in a dialog that
 * says what it is and what will be sent; the owner checks it all again (the same process, still on
 * that port, the same user) before its one SIGTERM, and says whether it ended.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StopProcessRemedy } from '@shared/contract/health';
import { useClient } from '../../api/client-context';
import { useModalDialog } from '../../components/use-modal-dialog';
import { useUi } from '../../state/ui-store';
import { ConfirmMenu } from '../../components/confirm-menu';

export function StopProcessRemedyButton({ remedy, service }: { remedy: StopProcessRemedy; service: string }) {
  const [asking, setAsking] = useState(false);
  const dialog = useModalDialog(asking);
  const client = useClient();
  const queries = useQueryClient();
  const notify = useUi((s) => s.notify);
  const { command, pid, port, protocol, startTime } = remedy;
  const stop = useMutation({
    mutationFn: () => client.call('stopPortHolder', { port, protocol, pid, startTime }),
    onSuccess: (result) => notify(result.ended ? 'info' : 'error', result.message),
    onError: (error: Error) => notify('error', error.message),
    onSettled: () => void queries.invalidateQueries({ queryKey: ['readiness'] }),
  });
  const label = `Stop ${command} (pid ${pid}) holding port ${port}`;
  return (
    <>
      <button type="button" disabled={stop.isPending} onClick={() => setAsking(true)}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm" aria-labelledby={`stop-process-${pid}`} onClose={() => setAsking(false)} data-testid="stop-process-confirmation">
        {asking ? (
          <form method="dialog">
            <h2 id={`stop-process-${pid}`}>
              Stop {command} (pid {pid})?
            </h2>
            <p>
              It is not a service of this registry: it is a process of your user that holds port {port}/{protocol}, which {service} needs. It is sent SIGTERM
              (as <code>kill {pid}</code> would); if it has not ended within a few seconds you are told, and nothing stronger is sent.
            </p>
            <ConfirmMenu confirm={`Stop pid ${pid}`} onConfirm={() => stop.mutate()} onCancel={() => setAsking(false)} />
          </form>
        ) : null}
      </dialog>
    </>
  );
}
