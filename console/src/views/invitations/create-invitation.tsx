import { useState } from 'preact/hooks';
import type { IssuedInvitation } from '../../../../lambdas/contract/views';
import { type InvitationType, LIMITS } from '../../../../lambdas/domain/invitation';
import { createInvitation } from '../../api/registry';
import { useAction } from '../../hooks/use-action';
import { type CreateForm, type CreateMode, createBody, initialForm, withType } from '../../model/create-form';
import { href, navigate } from '../../router';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert, fieldIssues } from '../../ui/error-alert';
import { Checkbox, Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { SecretDialog } from '../../ui/secret-dialog';
import { TypeOptions } from './type-options';

const TITLES: Record<CreateMode, string> = {
  create: 'Create invitation',
  'create-secure': 'Create secure invitation',
};

/**
 * Creating an invitation (`POST /invitations`): the form in a dialog, then its secret shown once, then the new
 * invitation's page.
 */
export function CreateInvitation({
  mode,
  parentId,
  onClose,
}: {
  mode: CreateMode;
  parentId?: string;
  onClose: () => void;
}) {
  const [issued, setIssued] = useState<IssuedInvitation>();
  if (issued) {
    const { id } = issued.invitation;
    const done = () => {
      setIssued(undefined);
      onClose();
      navigate(href.invitation(id));
    };
    return <SecretDialog issued={issued} title="Invitation created: copy its secret now" onClose={done} />;
  }
  return <CreateDialog mode={mode} parentId={parentId} onClose={onClose} onCreated={setIssued} />;
}

function CreateDialog({
  mode,
  parentId,
  onClose,
  onCreated,
}: {
  mode: CreateMode;
  parentId?: string;
  onClose: () => void;
  onCreated: (issued: IssuedInvitation) => void;
}) {
  const [form, setForm] = useState(() => initialForm(mode, parentId));
  const action = useAction();
  const errors = Object.fromEntries(fieldIssues(action.error).map(({ field, message }) => [field, message]));
  const set = (change: Partial<CreateForm>) => setForm((previous) => ({ ...previous, ...change }));
  const input = (name: keyof CreateForm) => ({
    value: form[name] as string,
    onInput: (event: { currentTarget: HTMLInputElement }) => set({ [name]: event.currentTarget.value }),
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    const created = await action.run(() => createInvitation(createBody(form)));
    if (created) onCreated(created);
  };
  const defaultInvite = mode === 'create' ? 'yes for admin invitations, else no' : 'no';

  return (
    <Dialog title={TITLES[mode]} onClose={onClose}>
      <form onSubmit={submit} class="form" noValidate>
        <Field
          label="Name"
          error={errors.name}
          hint={`${LIMITS.name.min}–${LIMITS.name.max} characters; not unique`}
          control={(props) => <input {...props} {...input('name')} required autocomplete="off" />}
        />
        <Field
          label="Type"
          error={errors.type}
          control={(props) => (
            <select
              {...props}
              value={form.type}
              onChange={(event) => setForm(withType(form, mode, event.currentTarget.value as InvitationType))}
            >
              <TypeOptions />
            </select>
          )}
        />
        <Field
          label="Valid days"
          error={errors.validDays}
          hint={`${LIMITS.validDays.min}–${LIMITS.validDays.max}; empty for ${LIMITS.validDays.default}`}
          control={(props) => (
            <input
              {...props}
              {...input('validDays')}
              type="number"
              inputMode="numeric"
              min={LIMITS.validDays.min}
              max={LIMITS.validDays.max}
            />
          )}
        />
        <fieldset>
          <legend>Security</legend>
          <Checkbox
            label="Can invite (may create sub-invitations)"
            hint={`Default: ${defaultInvite}`}
            error={errors.canInvite}
            checked={form.canInvite}
            onChange={(canInvite) => set({ canInvite, canInviteChosen: true })}
          />
          <Checkbox
            label="Transferable (may be used by more than one person)"
            error={errors.transferable}
            checked={form.transferable}
            onChange={(transferable) => set({ transferable })}
          />
          <Checkbox
            label="Device bound (every use tied to a registered device)"
            error={errors.deviceBound}
            checked={form.deviceBound}
            onChange={(deviceBound) => set({ deviceBound })}
          />
          <Field
            label="Max devices"
            error={errors.maxDevices}
            hint={`Active devices at once, ${LIMITS.maxDevices.min}–${LIMITS.maxDevices.max}`}
            control={(props) => (
              <input
                {...props}
                {...input('maxDevices')}
                type="number"
                inputMode="numeric"
                min={LIMITS.maxDevices.min}
                max={LIMITS.maxDevices.max}
              />
            )}
          />
          <Field
            label="Max descendants"
            error={errors.maxDescendants}
            hint="Invitations that may ever be created below it, at all depths; empty for the registry's default"
            control={(props) => (
              <input {...props} {...input('maxDescendants')} type="number" inputMode="numeric" min={0} />
            )}
          />
        </fieldset>
        <Field
          label="Parent invitation id"
          error={errors.parentId}
          hint="Create it under this invitation; its limits then bind the new one"
          control={(props) => <input {...props} {...input('parentId')} autocomplete="off" spellcheck={false} />}
        />
        <fieldset>
          <legend>Delivery</legend>
          <Field
            label="Email"
            error={errors.email}
            hint="The recipient's address, kept for administrators; never in the invitation itself"
            control={(props) => <input {...props} {...input('email')} type="email" autocomplete="off" />}
          />
          <Checkbox
            label="E-mail the invitation to this address once created"
            error={errors.deliver}
            checked={form.deliver && form.email.trim() !== ''}
            disabled={form.email.trim() === ''}
            onChange={(deliver) => set({ deliver })}
          />
        </fieldset>
        <fieldset>
          <legend>Profile settings (optional)</legend>
          <Field
            label="Owner account"
            error={errors.ownerAccount}
            control={(props) => <input {...props} {...input('ownerAccount')} autocomplete="off" />}
          />
          <Field
            label="Owner profile"
            error={errors.ownerProfile}
            control={(props) => <input {...props} {...input('ownerProfile')} autocomplete="off" />}
          />
          <Field
            label="S3 config path"
            error={errors.s3ConfigPath}
            hint="s3://bucket/prefix"
            control={(props) => <input {...props} {...input('s3ConfigPath')} autocomplete="off" spellcheck={false} />}
          />
        </fieldset>
        <ErrorAlert error={action.error} what="The invitation was not created." />
        <FormActions label={TITLES[mode]} busyLabel="Creating…" busy={action.busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
