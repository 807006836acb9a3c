import { useState } from 'preact/hooks';
import type { InvitationView, IssuedInvitation } from '../../../../lambdas/contract/views';
import { revokeAllDevices, revokeInvitation, rotateInvitation, sendInvitation } from '../../api/registry';
import { href, navigate } from '../../router';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Checkbox, Field } from '../../ui/field';
import { SecretDialog } from '../../ui/secret-dialog';
import { CreateInvitation } from '../invitations/create-invitation';

type Open = 'rotate' | 'send' | 'revoke' | 'revoke-devices' | 'create';

/**
 * What an administrator can do to one invitation, each behind a dialog that says what will happen: rotate (its new
 * secret shown once), send by e-mail, revoke (with its subtree as a job), revoke every device, create under it.
 */
export function InvitationActions({
  invitation,
  onChange,
  onNotice,
}: {
  invitation: InvitationView;
  onChange: () => void;
  /** Says what an action did, in the page's status region. */
  onNotice: (notice: string) => void;
}) {
  const [open, setOpen] = useState<Open>();
  const [issued, setIssued] = useState<IssuedInvitation>();
  const close = () => setOpen(undefined);
  const { id, name, status } = invitation;
  const revoked = status === 'revoked';
  return (
    <div class="toolbar" role="group" aria-label="Actions">
      <button type="button" onClick={() => setOpen('rotate')} disabled={revoked}>
        Rotate
      </button>
      {invitation.email !== undefined && (
        <button type="button" onClick={() => setOpen('send')} disabled={revoked}>
          Send by e-mail
        </button>
      )}
      <button type="button" onClick={() => setOpen('revoke-devices')} disabled={revoked}>
        Revoke all devices
      </button>
      <button type="button" class="danger" onClick={() => setOpen('revoke')}>
        Revoke
      </button>
      <button type="button" onClick={() => setOpen('create')} disabled={!invitation.canInvite || status !== 'active'}>
        Create sub-invitation
      </button>

      {open === 'rotate' && (
        <ConfirmDialog
          title={`Rotate ${name}`}
          confirmLabel="Rotate invitation"
          onClose={close}
          act={async () => {
            setIssued(await rotateInvitation(id));
            onChange();
          }}
        >
          <p>
            A new token is issued and the old one stops working at once. A suspended invitation becomes active again;
            revoked devices stay revoked.
          </p>
        </ConfirmDialog>
      )}
      {issued && (
        <SecretDialog
          issued={issued}
          title="Invitation rotated: copy its new secret now"
          onClose={() => setIssued(undefined)}
        />
      )}
      {open === 'send' && (
        <ConfirmDialog
          title={`Send ${name} by e-mail`}
          confirmLabel="Send invitation"
          onClose={close}
          act={async () => {
            const sent = await sendInvitation(id);
            onNotice(`E-mail to ${invitation.email}: ${sent.invitation.delivery?.status ?? 'queued'}.`);
            onChange();
          }}
        >
          <p>
            A new token is issued first (the old one stops working at once), then the invitation is e-mailed to{' '}
            {invitation.email}. The new token goes to the recipient alone.
          </p>
        </ConfirmDialog>
      )}
      {open === 'revoke' && (
        <RevokeDialog invitation={invitation} onClose={close} onChange={onChange} onNotice={onNotice} />
      )}
      {open === 'revoke-devices' && (
        <RevokeDevicesDialog invitation={invitation} onClose={close} onChange={onChange} onNotice={onNotice} />
      )}
      {open === 'create' && <CreateInvitation mode="create" parentId={id} onClose={close} />}
    </div>
  );
}

interface DialogProps {
  invitation: InvitationView;
  onClose: () => void;
  onChange: () => void;
  onNotice: (notice: string) => void;
}

function ReasonField({ reason, setReason }: { reason: string; setReason: (reason: string) => void }) {
  return (
    <Field
      label="Reason"
      hint="Kept with the revocation"
      control={(props) => <input {...props} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />}
    />
  );
}

function RevokeDialog({ invitation, onClose, onChange, onNotice }: DialogProps) {
  const [reason, setReason] = useState('');
  const [cascade, setCascade] = useState(false);
  return (
    <ConfirmDialog
      title={`Revoke ${invitation.name}`}
      confirmLabel="Revoke invitation"
      danger
      onClose={onClose}
      act={async () => {
        const revoked = await revokeInvitation(invitation.id, { reason: reason.trim() || undefined, cascade });
        if (revoked.job) return navigate(href.job(revoked.job.id));
        onNotice(`Revoked, with ${revoked.revokedDeviceCount} active device(s).`);
        onChange();
      }}
    >
      <p>Revoking is final: its devices are revoked and its whole subtree is unusable from now on.</p>
      <ReasonField reason={reason} setReason={setReason} />
      <Checkbox
        label="Cascade: also record every sub-invitation, at any depth, as revoked"
        hint="Runs as a job; the console then shows its progress"
        checked={cascade}
        onChange={setCascade}
      />
    </ConfirmDialog>
  );
}

function RevokeDevicesDialog({ invitation, onClose, onChange, onNotice }: DialogProps) {
  const [reason, setReason] = useState('');
  return (
    <ConfirmDialog
      title={`Revoke all devices of ${invitation.name}`}
      confirmLabel="Revoke all devices and suspend"
      danger
      onClose={onClose}
      act={async () => {
        const revoked = await revokeAllDevices(invitation.id, reason.trim() || undefined);
        onNotice(`Revoked ${revoked.revokedDevices.length} device(s); the invitation is suspended until rotated.`);
        onChange();
      }}
    >
      <p>
        Every device is revoked and the invitation is suspended, so its token cannot simply register a new device.
        Rotating it makes it active again.
      </p>
      <ReasonField reason={reason} setReason={setReason} />
    </ConfirmDialog>
  );
}
