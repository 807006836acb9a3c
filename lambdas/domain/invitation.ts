import type { Delivery } from './delivery';
import { RegistryError, invalid } from './errors';
import { addDays, isPast, rfc3339 } from './time';

export const INVITATION_TYPES = ['read_only', 'read_write', 'admin'] as const;
export type InvitationType = (typeof INVITATION_TYPES)[number];
export const typeRank = (type: InvitationType): number => INVITATION_TYPES.indexOf(type);

export type StoredStatus = 'active' | 'suspended' | 'revoked';
export type InvitationStatus = StoredStatus | 'expired';

export const LIMITS = {
  name: { min: 1, max: 200 },
  validDays: { min: 1, max: 3650, default: 30 },
  maxDevices: { min: 1, max: 5, default: 1 },
  /** The default is a stack setting (`config.defaultMaxDescendants`); this range bounds it too. */
  maxDescendants: { min: 0, max: 1_000_000, default: 10_000 },
} as const;

/**
 * How many levels an invitation may sit below its root (docs/SPEC.md §3.3): its `ancestors` hold at most this many
 * ids.
 */
export const MAX_DEPTH = 8;

export interface PolicyRestrictions {
  templateWhitelist?: string[];
  templateBlacklist?: string[];
  maxInstanceTypes?: string[];
  forbiddenRegions?: string[];
  maxHourlyCost?: number;
  maxDailyBudget?: number;
}

/** What a caller may ask for when creating an invitation (docs/SPEC.md §1.1 inputs). */
export interface InvitationRequest {
  name: string;
  type: InvitationType;
  validDays?: number;
  canInvite?: boolean;
  transferable?: boolean;
  deviceBound?: boolean;
  maxDevices?: number;
  maxDescendants?: number;
  ownerAccount?: string;
  ownerProfile?: string;
  s3ConfigPath?: string;
  policyRestrictions?: PolicyRestrictions;
  /** The recipient's address (`domain/email.ts`): personal data, kept out of logs, audit details and events. */
  email?: string;
}

/** The settings an invitation ends up with once defaults and inheritance are applied. */
export interface InvitationSettings {
  name: string;
  type: InvitationType;
  validDays: number;
  canInvite: boolean;
  transferable: boolean;
  deviceBound: boolean;
  maxDevices: number;
  /** How many invitations may ever be created in its subtree, at all depths (docs/SPEC.md §3.8). */
  maxDescendants: number;
  createdAt: string;
  expiresAt: string;
  parentId?: string;
  /** Its parent, grandparent, … up to the root: at most MAX_DEPTH ids. Absent on a root. */
  ancestors?: string[];
  ownerAccount?: string;
  ownerProfile?: string;
  s3ConfigPath?: string;
  policyRestrictions?: PolicyRestrictions;
  /** The recipient's address: for the administrator's eyes only, never inherited, encoded, audited or logged. */
  email?: string;
}

/** An invitation as stored. The token itself is never stored; `tokenGeneration` and `keyId` re-derive it. */
export interface Invitation extends InvitationSettings {
  id: string;
  status: StoredStatus;
  createdBy: string;
  activeDevices: number;
  /** Units of `maxDescendants` spent: invitations created (or reserved by batches) anywhere below it. */
  descendantsCreated: number;
  tokenGeneration: number;
  keyId: string;
  /** Masked hint of the current token (`inv-AbCd…wXyZ`): identifies it without revealing it. */
  tokenHint: string;
  /** SHA-256 of the current token, the key of its lookup item. */
  tokenHash: string;
  boundUsername?: string;
  batchId?: string;
  batchRow?: number;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
  /**
   * When the cleanup job marked it expired (docs/SPEC.md §3.6). Expiry keeps the stored status (what the
   * invitation was before it expired, `suspended` say): `effectiveStatus` reports `expired` anyway.
   */
  expiredMarkedAt?: string;
  /** When the `expiry-reminders` job announced its coming expiry (docs/SPEC.md §4.8): it does so once. */
  expiryRemindedAt?: string;
  /** Its latest e-mail, once one was asked for (docs/SPEC.md §4.8). */
  delivery?: Delivery;
}

/** An invitation handed out with its secret (creation, rotation): its token, its encoded form, notes on its settings. */
export interface HandedOut {
  invitation: Invitation;
  token: string;
  encoded: string;
  notes: string[];
}

/** `expired` is reported whenever `expiresAt` has passed, whatever is stored (docs/SPEC.md §1.1). */
export const effectiveStatus = (invitation: Pick<Invitation, 'status' | 'expiresAt'>, now: Date): InvitationStatus =>
  isPast(invitation.expiresAt, now) ? 'expired' : invitation.status;

/**
 * Whether the cleanup job still has to mark an expired invitation (and revoke its devices): not when it
 * did already, and never a revoked one, whose end was its revocation.
 */
export const awaitsExpiryMark = (invitation: Pick<Invitation, 'status' | 'expiredMarkedAt'>): boolean =>
  invitation.status !== 'revoked' && invitation.expiredMarkedAt === undefined;

/** The days before expiry the `expiry-reminders` job announces an invitation (docs/SPEC.md §4.8), unless configured. */
export const EXPIRY_REMINDER_DAYS = { min: 1, max: 365, default: 7 } as const;

/**
 * Whether the `expiry-reminders` job announces an invitation at `now`: active, expiring within `days`, not announced
 * yet, and made to last longer than `days` (one that was made to expire within them was told its expiry when it
 * was made; a reminder the same day would be noise).
 */
export function dueForExpiryReminder(
  invitation: Pick<Invitation, 'status' | 'createdAt' | 'expiresAt' | 'expiryRemindedAt'>,
  now: Date,
  days: number,
): boolean {
  const { status, createdAt, expiresAt, expiryRemindedAt } = invitation;
  if (status !== 'active' || expiryRemindedAt !== undefined || isPast(expiresAt, now)) return false;
  return expiresAt <= rfc3339(addDays(now, days)) && rfc3339(addDays(new Date(createdAt), days)) < expiresAt;
}

/** Checks a number is whole and inside `[min, max]`, naming the field otherwise. Never clamps. */
export function checkRange(field: string, value: number, range: { min: number; max: number }): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(field, `must be a whole number from ${range.min} to ${range.max} (got ${value})`, {
      allowed: { min: range.min, max: range.max },
    });
  }
  return value;
}

export function checkName(name: string): string {
  const length = [...name].length;
  if (name.trim().length === 0 || length > LIMITS.name.max) {
    throw invalid('name', `must be ${LIMITS.name.min}-${LIMITS.name.max} characters and not blank`);
  }
  return name;
}

const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
export function checkS3ConfigPath(path: string): string {
  if (!S3_PATH.test(path)) throw invalid('s3ConfigPath', 'must look like s3://bucket/prefix');
  return path;
}

/** An invitation can be used (accepted, delegated from, registered against) only while active and unexpired. */
export function assertUsable(invitation: Invitation, now: Date, errorsFor: UsabilityErrors): void {
  switch (effectiveStatus(invitation, now)) {
    case 'expired':
      throw errorsFor.expired(invitation.expiresAt);
    case 'revoked':
      throw errorsFor.revoked();
    case 'suspended':
      throw errorsFor.suspended();
    case 'active':
      return;
  }
}

export interface UsabilityErrors {
  expired: (expiresAt: string) => RegistryError;
  revoked: () => RegistryError;
  suspended: () => RegistryError;
}
