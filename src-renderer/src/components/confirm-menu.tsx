/**
 * The two buttons of a confirmation dialog: Cancel (focused first, so Enter never confirms by
 * accident) and the dangerous action, which runs and then closes the dialog.
 */
import type { ReactNode } from 'react';

export function ConfirmMenu({ confirm, onConfirm, onCancel }: { confirm: ReactNode; onConfirm: () => void; onCancel: () => void }) {
  return (
    <menu>
      <button type="button" onClick={onCancel} autoFocus>
        Cancel
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => {
          onConfirm();
          onCancel();
        }}
      >
        {confirm}
      </button>
    </menu>
  );
}
