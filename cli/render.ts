import type { PolicyRestrictions } from '../lambdas/domain/invitation';
import type { AcceptedInvitation, InvitationPage, InvitationView, IssuedInvitation } from '../lambdas/views';
import { fields, shellQuote, table, timestamp, yesNo } from './output';
import type {
  DeviceValidation,
  InvitationAnswer,
  InvitationDevices,
  RevokedAllDevices,
  RevokedDevice,
  RevokedInvitation,
} from '../lambdas/views';

/** Human output of each answer of the registry API. */

const policySummary = (policy: PolicyRestrictions | undefined) =>
  policy &&
  Object.entries(policy)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`)
    .join('; ');

const invitationFields = (invitation: InvitationView) =>
  fields([
    ['Name', invitation.name],
    ['Type', invitation.type],
    ['Status', invitation.status],
    ['Created', `${timestamp(invitation.createdAt)} by ${invitation.createdBy}`],
    ['Expires', `${timestamp(invitation.expiresAt)} (valid ${invitation.validDays} days)`],
    ['Can invite', yesNo(invitation.canInvite)],
    ['Transferable', yesNo(invitation.transferable)],
    ['Device bound', yesNo(invitation.deviceBound)],
    ['Devices', `${invitation.activeDevices} active of at most ${invitation.maxDevices}`],
    ['Token hint', invitation.tokenHint],
    ['Parent', invitation.parentId],
    ['Batch', invitation.batchId && `${invitation.batchId} row ${invitation.batchRow}`],
    ['Owner account', invitation.ownerAccount],
    ['Owner profile', invitation.ownerProfile],
    ['S3 config', invitation.s3ConfigPath],
    ['Policy', policySummary(invitation.policyRestrictions)],
    ['Revoked', invitation.revokedAt && `${timestamp(invitation.revokedAt)} by ${invitation.revokedBy}`],
    ['Reason', invitation.revokeReason],
  ]);

export const renderInvitation = ({ invitation }: InvitationAnswer) =>
  `Invitation ${invitation.id}\n${invitationFields(invitation)}`;

/** An invitation with its secret (creation, rotation): the only output that prints a token. */
export function renderIssued(issued: IssuedInvitation, heading: string): string {
  const { invitation, token, encoded, notes } = issued;
  return [
    `${heading} ${invitation.id}`,
    invitationFields(invitation),
    ...(notes.length ? ['', 'Notes:', ...notes.map((note) => `  - ${note}`)] : []),
    '',
    'Token (secret, shown only now):',
    `  ${token}`,
    '',
    'Encoded invitation (secret, give it to the recipient):',
    `  ${encoded}`,
    '',
    'The recipient accepts it with:',
    `  prism profiles accept-invitation --encoded ${shellQuote(encoded)} --name ${shellQuote(invitation.name)}`,
  ].join('\n');
}

export function renderInvitationPage(page: InvitationPage): string {
  if (page.invitations.length === 0) return 'No invitations.';
  const rows = page.invitations.map((invitation) => [
    invitation.id,
    invitation.name,
    invitation.type,
    invitation.status,
    `${invitation.activeDevices}/${invitation.maxDevices}`,
    timestamp(invitation.expiresAt),
  ]);
  const listing = table(['ID', 'NAME', 'TYPE', 'STATUS', 'DEVICES', 'EXPIRES'], rows);
  return page.cursor ? `${listing}\n\nMore invitations: rerun with --all, or with --cursor ${page.cursor}` : listing;
}

export function renderRevokedInvitation({ invitation, revokedDeviceCount, cascaded }: RevokedInvitation): string {
  const lines = [
    `Revoked invitation ${invitation.id} (${invitation.name}) and ${revokedDeviceCount} active device(s).`,
  ];
  if (cascaded.length) lines.push(`Also revoked ${cascaded.length} sub-invitation(s): ${cascaded.join(', ')}`);
  return lines.join('\n');
}

export function renderDevices({ invitationId, devices }: InvitationDevices): string {
  if (devices.length === 0) return `No devices registered with invitation ${invitationId}.`;
  const rows = devices.map((device) => [
    device.deviceId,
    device.status,
    device.hostname,
    device.username,
    timestamp(device.registeredAt),
    timestamp(device.lastSeenAt),
  ]);
  return table(['DEVICE ID', 'STATUS', 'HOSTNAME', 'USERNAME', 'REGISTERED', 'LAST SEEN'], rows);
}

export const renderRevokedDevice = ({ device }: RevokedDevice) =>
  `Revoked device ${device.deviceId} of invitation ${device.invitationId}.`;

export const renderRevokedAllDevices = ({ invitation, revokedDevices }: RevokedAllDevices) =>
  [
    `Revoked ${revokedDevices.length} device(s) of invitation ${invitation.id} (${invitation.name}).`,
    'The invitation is now suspended: no device can register with it until it is rotated',
    `(prism-registry invitations rotate ${invitation.id}), which issues a new token.`,
  ].join('\n');

export function renderAccepted({ invitationId, profile, device }: AcceptedInvitation): string {
  return [
    `Accepted invitation ${invitationId} as profile '${profile.name}'`,
    fields([
      ['Type', profile.type],
      ['Expires', timestamp(profile.expiresAt)],
      ['Device', device ? `${device.deviceId} registered` : 'none registered (the invitation is not device-bound)'],
      ['Registry API', profile.registryApi],
    ]),
  ].join('\n');
}

export const renderValidation = ({ valid, reason }: DeviceValidation) =>
  valid ? 'valid' : `invalid${reason ? `: ${reason}` : ''}`;
