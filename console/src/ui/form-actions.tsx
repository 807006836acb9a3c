/**
 * A form's buttons: the submit button, disabled while it is not ready or its action runs (and saying `busyLabel`
 * then), and Cancel when the form sits in a dialog.
 */
export function FormActions({
  label,
  busyLabel,
  busy,
  disabled,
  danger,
  onCancel,
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  danger?: boolean;
  onCancel?: () => void;
}) {
  return (
    <div class="actions">
      <button type="submit" class={danger ? 'danger' : 'primary'} disabled={disabled || busy}>
        {busy ? busyLabel : label}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
