import { useState } from 'preact/hooks';
import { revokeEverything } from '../../api/registry';
import { useAction } from '../../hooks/use-action';
import { href, navigate } from '../../router';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';

/** What the administrator types, exactly, before the emergency revoke-all can be sent. */
export const CONFIRMATION = 'REVOKE ALL';

/**
 * The emergency revoke-all (`POST /devices/revoke-all`, docs/SPEC.md §3.5): every device of every invitation revoked
 * and every active invitation suspended, as a job. The button stays disabled until the confirmation is typed.
 */
export function RevokeEverything() {
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const confirmed = typed === CONFIRMATION;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!confirmed) return;
    const started = await action.run(() => revokeEverything(reason.trim() || undefined));
    if (started) navigate(href.job(started.job.id));
  };
  return (
    <section aria-labelledby="emergency-heading" class="emergency">
      <h2 id="emergency-heading">Emergency: revoke every device</h2>
      <p>
        Revokes every device of every invitation and suspends every active invitation, as a job. Invitations stay
        suspended until each is rotated. Use it when the registry's secrets may be in the wrong hands.
      </p>
      <form class="form" onSubmit={submit}>
        <Field
          label="Reason"
          hint="Kept with every revocation"
          control={(props) => (
            <input {...props} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          )}
        />
        <Field
          label={`Type ${CONFIRMATION} to confirm`}
          control={(props) => (
            <input
              {...props}
              value={typed}
              onInput={(event) => setTyped(event.currentTarget.value)}
              autocomplete="off"
              spellcheck={false}
            />
          )}
        />
        <ErrorAlert error={action.error} what="The emergency revoke-all was not started." />
        <FormActions
          label="Revoke every device"
          busyLabel="Starting…"
          busy={action.busy}
          disabled={!confirmed}
          danger
        />
      </form>
    </section>
  );
}
