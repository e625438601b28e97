/**
 * Asked before the registry path changes: a new registry is a new set of commands run as you. The
 * dialog shows the file, what each service runs and why the file deserves a second look; the engine
 * applies the change only with the single-use code it issued to this tab's connection for exactly
 * that text — so the choice is made here, where it was shown, not by another client.
 */
import { useEffect, useRef } from 'react';
import type { RegistryConfirmation } from '@shared/contract/settings';

export function RegistryChangeConfirmation({
  confirmation,
  onConfirm,
  onCancel,
  overriddenBy,
}: {
  confirmation: RegistryConfirmation | undefined;
  /** What names the engine's file instead of a saved path (`--config`, PROVISIONING_CONFIG): the file is then saved, not run. */
  overriddenBy?: string | undefined;
  onConfirm: (code: string) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (confirmation && !dialog.current?.open) dialog.current?.showModal();
    if (!confirmation && dialog.current?.open) dialog.current.close();
  }, [confirmation]);
  return (
    <dialog ref={dialog} className="confirm" aria-labelledby="registry-change-title" onClose={onCancel} data-testid="registry-confirmation">
      {confirmation ? (
        <form method="dialog">
          <h2 id="registry-change-title">Use {confirmation.file}?</h2>
          <p>
            {overriddenBy
              ? `Saved, it is not run while ${overriddenBy} names the registry; once the engine starts without it, it runs what this file says, as you:`
              : 'From the next start, the engine runs what this file says, as you:'}
          </p>
          <ul className="registry-runs">
            {confirmation.runs.map(({ service, mode, runs }) => (
              <li key={service}>
                <strong>{service}</strong> <span className="hint">({mode})</span>
                {runs.map((run) => (
                  <div key={run}>
                    <code>{run}</code>
                  </div>
                ))}
              </li>
            ))}
          </ul>
          {confirmation.warnings.map((warning) => (
            <p key={warning} className="warning" role="alert">
              Careful: {warning}.
            </p>
          ))}
          <menu>
            <button type="button" onClick={onCancel} autoFocus>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => onConfirm(confirmation.code)}>
              Run this registry
            </button>
          </menu>
        </form>
      ) : null}
    </dialog>
  );
}
