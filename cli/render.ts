import type {
  AcceptedInvitation,
  InvitationPage,
  InvitationView,
  IssuedInvitation,
  SentInvitation,
} from '../lambdas/contract/views';
import { acceptCommand } from '../lambdas/contract/accept-command';
import { byteSize, fields, paged, table, timestamp, yesNo } from './output';
import { progressBar } from './progress';
import { renderJobOutcome } from './render-jobs';
import type {
  AuditEventView,
  AuditPage,
  BatchPage,
  BatchView,
  DeviceValidation,
  InvitationAnswer,
  InvitationDevices,
  JobView,
  RevokedAllDevices,
  RevokedDevice,
  RevokedInvitation,
} from '../lambdas/contract/views';

/** Human output of each answer of the registry API. */

const policySummary = (policy: InvitationView['policyRestrictions']) =>
  policy &&
  Object.entries(policy)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`)
    .join('; ');

const invitationFields = (invitation: InvitationView) =>
  fields([
    ['Name', invitation.name],
    ['Type', invitation.type],
    ['Status', invitation.status],
    ['Email', invitation.email],
    ['Delivery', invitation.delivery && deliverySummary(invitation.delivery)],
    ['Created', `${timestamp(invitation.createdAt)} by ${invitation.createdBy}`],
    ['Expires', `${timestamp(invitation.expiresAt)} (valid ${invitation.validDays} days)`],
    ['Can invite', yesNo(invitation.canInvite)],
    ['Transferable', yesNo(invitation.transferable)],
    ['Device bound', yesNo(invitation.deviceBound)],
    ['Devices', `${invitation.activeDevices} active of at most ${invitation.maxDevices}`],
    [
      'Delegation',
      `${invitation.descendantsCreated} of at most ${invitation.maxDescendants} invitations created below it`,
    ],
    ['Token hint', invitation.tokenHint],
    ['Parent', invitation.parentId],
    ['Ancestors', invitation.ancestors?.join(' < ')],
    ['Batch', invitation.batchId && `${invitation.batchId} row ${invitation.batchRow}`],
    ['Owner account', invitation.ownerAccount],
    ['Owner profile', invitation.ownerProfile],
    ['S3 config', invitation.s3ConfigPath],
    ['Policy', policySummary(invitation.policyRestrictions)],
    ['Revoked', invitation.revokedAt && `${timestamp(invitation.revokedAt)} by ${invitation.revokedBy}`],
    ['Reason', invitation.revokeReason],
  ]);

function deliverySummary({ status, kind, at, error }: NonNullable<InvitationView['delivery']>): string {
  const what = kind === 'reminder' ? 'expiry reminder' : 'invitation e-mail';
  return `${what} ${status} ${timestamp(at)}${error ? `: ${error}` : ''}`;
}

/** `invitations send`: what was queued, never a secret (the recipient alone gets the new token). */
export const renderSentInvitation = ({ invitation }: SentInvitation) =>
  `Invitation ${invitation.id} got a new token (the old one no longer works); its e-mail is queued.\n` +
  `Follow it with \`invitations get ${invitation.id}\` (Delivery).`;

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
    `  ${acceptCommand(encoded, invitation.name)}`,
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
  return paged(listing, 'invitations', page.cursor);
}

export const renderRevokedInvitation = ({ invitation, revokedDeviceCount, alreadyRevoked }: RevokedInvitation) =>
  alreadyRevoked
    ? `Invitation ${invitation.id} (${invitation.name}) was already revoked.`
    : `Revoked invitation ${invitation.id} (${invitation.name}) and ${revokedDeviceCount} active device(s).`;

/** A revocation with `--cascade`, once its job has recorded every descendant as revoked. */
export const renderCascadedRevocation = (revoked: RevokedInvitation & { job: JobView }) =>
  `${renderRevokedInvitation(revoked)}\n${renderJobOutcome(revoked.job)}`;

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

const rowsOf = (batch: BatchView) => `${batch.succeeded + batch.failed}/${batch.total ?? '?'}`;
const stateOf = (batch: BatchView) => batch.state.replace(/_/g, ' ');
const bulleted = (heading: string, items: string[]) =>
  items.length ? [heading, ...items.map((item) => `  - ${item}`)] : [];

/** The line a terminal shows while a batch runs: `[#####.....] 1234/5000 rows, 12 failed`. */
export const renderBatchProgress = (batch: BatchView) =>
  batch.total === undefined
    ? `${progressBar(0)} ${stateOf(batch)}`
    : `${progressBar(batch.progress)} ${rowsOf(batch)} rows, ${batch.failed} failed`;

export const renderUploadProgress = (sent: number, size: number) =>
  `${progressBar(sent / size)} uploading ${byteSize(sent)} of ${byteSize(size)}`;

const batchOptions = ({ options }: BatchView) =>
  [
    `include encoded ${yesNo(options.includeEncoded)}`,
    `concurrency ${options.concurrency}`,
    `header ${yesNo(options.hasHeader)}`,
    ...(options.parentId ? [`parent ${options.parentId}`] : []),
    ...(options.s3ConfigPath ? [`S3 config ${options.s3ConfigPath}`] : []),
  ].join('; ');

export function renderBatch(batch: BatchView): string {
  const results = batch.resultsReady
    ? `ready: prism-registry batches results ${batch.id} --output-file FILE`
    : batch.state === 'failed'
      ? 'none (the file was rejected)'
      : 'not yet';
  return [
    `Batch ${batch.id}`,
    fields([
      ['State', stateOf(batch)],
      ['Progress', `${rowsOf(batch)} rows (${Math.floor(batch.progress * 100)}%)`],
      ['Succeeded', batch.succeeded],
      ['Failed', batch.failed],
      ['Source', batch.source],
      ['Created', `${timestamp(batch.createdAt)} by ${batch.createdBy}`],
      ['Updated', timestamp(batch.updatedAt)],
      ['Completed', timestamp(batch.completedAt)],
      ['Options', batchOptions(batch)],
      ['Error', batch.error && `${batch.error.message} (${batch.error.code})`],
      ['Results', results],
    ]),
    ...bulleted('Warnings:', batch.warnings),
  ].join('\n');
}

export function renderBatchPage(page: BatchPage): string {
  if (page.batches.length === 0) return 'No batches.';
  const rows = page.batches.map((batch) => [
    batch.id,
    stateOf(batch),
    batch.source,
    rowsOf(batch),
    String(batch.failed),
    timestamp(batch.createdAt),
  ]);
  const listing = table(['ID', 'STATE', 'SOURCE', 'ROWS', 'FAILED', 'CREATED'], rows);
  return paged(listing, 'batches', page.cursor);
}

/** After `batch-create`: the counts, the warnings and where the results went. */
export function renderBatchSummary(batch: BatchView, destination: string): string {
  const failures = batch.failed ? '; the Status and Error columns say which rows failed and why' : '';
  return [
    `Batch ${batch.id} completed: ${batch.total ?? batch.succeeded + batch.failed} rows, ${batch.succeeded} succeeded, ${batch.failed} failed.`,
    ...bulleted('Warnings:', batch.warnings),
    `Results written to ${destination}${failures}.`,
  ].join('\n');
}

const DETAILS_WIDTH = 60;

/** `reason=lost laptop, devices=3`, cut short to keep the table readable (`--json` gives them whole). */
function shortDetails(details: AuditEventView['details']): string {
  const text = Object.entries(details)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(', ');
  return text.length > DETAILS_WIDTH ? `${text.slice(0, DETAILS_WIDTH - 1)}…` : text;
}

export function renderAuditPage(page: AuditPage): string {
  if (page.events.length === 0) return 'No audit events.';
  const rows = page.events.map((event) => [
    timestamp(event.at),
    event.actor,
    event.action,
    event.targetId,
    shortDetails(event.details),
  ]);
  return paged(table(['TIME', 'ACTOR', 'ACTION', 'TARGET', 'DETAILS'], rows), 'events', page.cursor);
}
