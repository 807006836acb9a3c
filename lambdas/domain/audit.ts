import { maskToken } from './tokens';

/**
 * The audit log's events (docs/SPEC.md §4.5). Every state change writes exactly one, in the same transaction as
 * the change itself, so neither can land without the other. No event ever carries a secret.
 */

export const AUDIT_ACTIONS = [
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'invitation.rotated',
  'invitation.suspended',
  'invitation.expired',
  'invitation.expiring',
  'invitation.delivery',
  'device.registered',
  'device.refused',
  'device.revoked',
  'devices.revoked',
  'batch.started',
  'batch.completed',
  'batch.failed',
  'export.created',
  'emergency.revoke_all',
  'job.started',
  'job.completed',
  'job.failed',
  'webhook.created',
  'webhook.removed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditValue = string | number | boolean | null | string[];

/** Who caused a change and where the request came from; `jobId` when a job made it on their behalf. */
export interface Origin {
  actor: string;
  requestId?: string;
  sourceIp?: string;
  jobId?: string;
}

export interface AuditEvent {
  eventId: string;
  at: string;
  actor: string;
  action: AuditAction;
  targetId: string;
  details: Record<string, AuditValue>;
  requestId?: string;
  sourceIp?: string;
}

export interface AuditFilter {
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  targetId?: string;
}

/** How the audit log (and every `createdBy`/`revokedBy`) names the holder of an invitation. */
export const actorOfInvitation = (invitationId: string) => `invitation:${invitationId}`;

/** Acting as the holder of an invitation: recipients and delegates are known by the invitation they hold. */
export const asHolderOf = (origin: Origin, invitationId: string): Origin => ({
  ...origin,
  actor: actorOfInvitation(invitationId),
});

/** A token (`inv-` + 43 base64url characters), or a run of base64url as long as an encoded invitation. */
const TOKEN_LIKE = /inv-[A-Za-z0-9_-]{43}/g;
const ENCODED_LIKE = /[A-Za-z0-9_-]{200,}/g;

/**
 * `text` with anything that looks like a secret masked: a token-shaped run as its hint (`inv-AbCd…wXyZ`),
 * an encoded-invitation-shaped run by its length. Values come from users (a name, a host, a reason), so
 * one that merely looks like a secret is kept readable around the mask rather than refused.
 */
export const maskSecrets = (text: string): string =>
  text.replace(TOKEN_LIKE, maskToken).replace(ENCODED_LIKE, (run) => `[${run.length} characters withheld]`);

const masked = (value: AuditValue): AuditValue =>
  typeof value === 'string' ? maskSecrets(value) : Array.isArray(value) ? value.map(maskSecrets) : value;

/** Builds an event; any detail that looks like a secret is masked (`maskSecrets`), so no event holds one. */
export function auditEvent(
  origin: Origin,
  action: AuditAction,
  targetId: string,
  details: Record<string, AuditValue | undefined>,
  stamp: { eventId: string; at: string },
): AuditEvent {
  const kept: Record<string, AuditValue> = {};
  for (const [key, value] of Object.entries({ ...details, ...(origin.jobId && { jobId: origin.jobId }) })) {
    if (value !== undefined) kept[key] = masked(value);
  }
  return {
    eventId: stamp.eventId,
    at: stamp.at,
    actor: origin.actor,
    action,
    targetId,
    details: kept,
    ...(origin.requestId !== undefined && { requestId: origin.requestId }),
    ...(origin.sourceIp !== undefined && { sourceIp: origin.sourceIp }),
  };
}
