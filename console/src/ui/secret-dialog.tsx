import type { IssuedInvitation } from '../../../lambdas/contract/views';
import { acceptCommand } from '../../../lambdas/domain/delivery';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';

/**
 * A new token and encoded invitation, shown once: they live in the state of the view that asked for them until this
 * dialog closes, and nowhere else (never in storage, the URL or a log).
 */
export function SecretDialog({
  issued,
  title,
  onClose,
}: {
  issued: IssuedInvitation;
  title: string;
  onClose: () => void;
}) {
  const { invitation, token, encoded, notes } = issued;
  const command = acceptCommand(encoded, invitation.name);
  return (
    <Dialog title={title} onClose={onClose}>
      <p class="warning">
        Copy the secret of <strong>{invitation.name}</strong> now: the console shows it this once and keeps no copy.
        Closing this dialog forgets it.
      </p>
      <Secret label="Token" value={token} copyLabel="Copy token" />
      <Secret label="Encoded invitation" value={encoded} copyLabel="Copy encoded invitation" />
      <Secret label="Command the recipient runs" value={command} copyLabel="Copy command" />
      {notes.length > 0 && (
        <>
          <h3>Adjusted from what was asked</h3>
          <ul>
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          Close and forget the secret
        </button>
      </div>
    </Dialog>
  );
}

function Secret({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  return (
    <div class="field secret">
      <label>
        {label}
        <textarea readOnly rows={value.length > 100 ? 4 : 1} spellcheck={false} autocomplete="off" value={value} />
      </label>
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
