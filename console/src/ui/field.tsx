import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

/** What a control needs to be named by its label and described by its hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

interface Notes {
  hint?: ComponentChildren;
  /** The registry's words about this field's value, from its last answer. */
  error?: string;
}

/** The control's props, and its hint and error as paragraphs the control is described by. */
function useNotes({ hint, error }: Notes): { control: ControlProps; notes: JSX.Element } {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  return {
    control: { id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined },
    notes: (
      <>
        {hint && (
          <p id={hintId} class="hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={errorId} class="field-error">
            {error}
          </p>
        )}
      </>
    ),
  };
}

/** A labelled control (`control` renders it with the props given) with its hint and error. */
export function Field({
  label,
  control,
  ...notes
}: Notes & { label: ComponentChildren; control: (props: ControlProps) => JSX.Element }) {
  const described = useNotes(notes);
  return (
    <div class="field">
      <label for={described.control.id}>{label}</label>
      {control(described.control)}
      {described.notes}
    </div>
  );
}

/** A checkbox with its label after it, its hint and error. */
export function Checkbox({
  label,
  checked,
  disabled,
  onChange,
  ...notes
}: Notes & {
  label: ComponentChildren;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const described = useNotes(notes);
  return (
    <div class="field field-check">
      <input
        {...described.control}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <label for={described.control.id}>{label}</label>
      {described.notes}
    </div>
  );
}
