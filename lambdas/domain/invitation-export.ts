import type { ExportRow } from './csv/results';
import { encodeInvitation } from './encoding';
import { type Invitation, effectiveStatus } from './invitation';
import { COLUMN_SETTINGS, pickSettings } from './invitation-settings';
import type { KeyRing } from './keys';
import { daysRemaining } from './time';
import { deriveToken } from './tokens';

/** What an export that includes secrets needs to derive them. */
export interface ExportSecrets {
  ring: KeyRing;
  registryApi?: string;
}

/**
 * One invitation as an export shows it (docs/SPEC.md §2.2): Valid Days = whole days left, rounded up (0 once expired).
 * With `secrets`, a live (active, unexpired) invitation comes with its token and encoded invitation; any other
 * shows its masked hint and no encoded data even then, because its token can no longer be used (a suspended
 * invitation's token is replaced by rotation) and writing it out would only expose it.
 */
export function invitationExportRow(invitation: Invitation, now: Date, secrets?: ExportSecrets): ExportRow {
  const status = effectiveStatus(invitation, now);
  const token =
    secrets && status === 'active'
      ? deriveToken(secrets.ring, invitation.keyId, invitation.id, invitation.tokenGeneration)
      : undefined;
  return {
    status: 'Success',
    ...pickSettings(invitation, COLUMN_SETTINGS),
    token: token ?? invitation.tokenHint,
    ...(token && secrets && { encoded: encodeInvitation(invitation, token, secrets.ring, secrets.registryApi) }),
    validDays: daysRemaining(invitation.expiresAt, now),
    invitationId: invitation.id,
    invitationStatus: status,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
    parentId: invitation.parentId,
    activeDevices: invitation.activeDevices,
    batchId: invitation.batchId,
    maxDescendants: invitation.maxDescendants,
    descendantsCreated: invitation.descendantsCreated,
    email: invitation.email,
  };
}
