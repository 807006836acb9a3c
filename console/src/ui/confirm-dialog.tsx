import type { ComponentChildren } from 'preact';
import { useAction } from '../hooks/use-action';
import { Dialog } from './dialog';
import { ErrorAlert } from './error-alert';
import { FormActions } from './form-actions';

/**
 * A dialog that asks before it acts: what will happen (and any fields, as children), the button that does it, and
 * the registry's refusal in an alert when it says no. `act` resolves once it is done; the dialog then closes.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  act,
  onClose,
  disabled,
  danger,
  children,
}: {
  title: string;
  confirmLabel: string;
  act: () => Promise<unknown>;
  onClose: () => void;
  /** The confirm button stays disabled, e.g. until a typed confirmation matches. */
  disabled?: boolean;
  danger?: boolean;
  children: ComponentChildren;
}) {
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(async () => {
      await act();
      return true;
    });
    if (done) onClose();
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} class="form">
        {children}
        <ErrorAlert error={action.error} />
        <FormActions
          label={confirmLabel}
          busyLabel="Working…"
          busy={action.busy}
          disabled={disabled}
          danger={danger}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
