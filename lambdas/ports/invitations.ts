import type { Delivery, MailMessage } from '../domain/delivery';
import type { AuditEvent } from '../domain/audit';
import type { Spending } from '../domain/delegation';
import type { Device, DeviceRefresh, ReportedDevice, Revocation } from '../domain/device';
import type { Invitation, InvitationType, StoredStatus } from '../domain/invitation';
import type { Ancestor } from '../domain/lineage';
import type { Page, Versioned } from './common';

/**
 * What a decision about an invitation needs, read in one go: the invitation, its ancestors (parent first)
 * and, when asked for, one of its devices.
 */
export interface Lineage {
  invitation: Versioned<Invitation>;
  ancestors: Ancestor[];
  device?: Device;
}

/** An invitation's acceptance: recorded alone, or in the same transaction as the device registration it comes with. */
export interface AcceptanceRecord {
  acceptanceId: string;
  details: Record<string, unknown>;
  audit: AuditEvent;
}

/** What marking an expired invitation changes with it: its active devices revoked, and its event. */
export interface Expiry {
  devices: Device[];
  revocation: Revocation;
  audit: AuditEvent;
}

export interface InvitationFilter {
  status?: StoredStatus | 'expired';
  type?: InvitationType;
  parentId?: string;
  batchId?: string;
  namePrefix?: string;
  /** Only invitations without a parent: the tops of the delegation trees. */
  roots?: boolean;
}

/** The first answer to a creation sent with an idempotency key, kept so a replay answers the same. */
export interface IdempotencyRecord {
  scopeHash: string;
  requestHash: string;
  invitationId: string;
  expiresAtEpoch: number;
  /** The first answer's inheritance notes, so a replay answers the same. */
  notes: string[];
}

/** What holds or changes with a revocation of devices. */
export interface DeviceRevocationOptions {
  /** The invitation moves to this status too, with the same revocation details. */
  invitationStatus?: 'suspended' | 'revoked';
  /** Each device is revoked only while still unseen since this instant: a validation meanwhile keeps it. */
  unseenSince?: string;
}

/**
 * The invitations, their devices, token lookups, acceptances and idempotency records. Reads are strongly
 * consistent; every write that depends on state is conditional on exactly the state it was planned from and
 * raises `StaleState` when that state has changed. Every change appends its audit event atomically with it.
 */
export interface InvitationRepository {
  getInvitation(id: string): Promise<Versioned<Invitation> | undefined>;
  /** The invitation a token hash belongs to, its ancestors and optionally one device. */
  lineageForToken(tokenHash: string, deviceId?: string): Promise<Lineage | undefined>;
  /** An invitation by id, its ancestors and optionally one device. */
  lineage(invitationId: string, deviceId?: string): Promise<Lineage | undefined>;
  /** The ancestors of an invitation, parent first. */
  ancestorsOf(invitation: Pick<Invitation, 'ancestors' | 'parentId'>): Promise<Ancestor[]>;
  invitationIdForToken(tokenHash: string): Promise<string | undefined>;
  getDevice(invitationId: string, deviceId: string): Promise<Device | undefined>;
  listDevices(invitationId: string): Promise<Device[]>;
  /**
   * Creates an invitation with its token lookup, atomically; under a parent, spending the allowances of
   * `spending` while each is still usable; with an idempotency record, only once per key.
   */
  createInvitation(
    invitation: Invitation,
    audit: AuditEvent,
    options?: { spending?: Spending; idempotency?: IdempotencyRecord },
  ): Promise<void>;
  /** The idempotency record of a scope, unless it has expired. */
  findIdempotency(scopeHash: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Adds a device and counts it, provided the invitation is unchanged since it was read and every ancestor
   * is still usable at `at`; with `acceptance`, records it in the same transaction.
   */
  addDevice(
    invitation: Versioned<Invitation>,
    device: Device,
    bindUsername: boolean,
    audit: AuditEvent,
    ancestorIds: readonly string[],
    at: string,
    acceptance?: AcceptanceRecord,
  ): Promise<void>;
  /** Moves `lastSeenAt` (and refreshes what the device reports) while the device is active. Not audited. */
  touchDevice(invitationId: string, deviceId: string, seenAt: string, reported?: ReportedDevice): Promise<Device>;
  /**
   * Moves a validated device's `lastSeenAt` to `seenAt`, provided it is still active and its `lastSeenAt` is still
   * the one read: of racing validations one writes, the others are told `false`. Not audited.
   */
  recordSeen(device: Pick<Device, 'invitationId' | 'deviceId' | 'lastSeenAt'>, seenAt: string): Promise<boolean>;
  /**
   * Revokes the given active devices and lowers the invitation's count, all at once, on the version of the
   * invitation it read (`options` say what else holds or changes with them).
   */
  revokeDevices(
    invitation: Versioned<Invitation>,
    devices: Device[],
    revocation: Revocation,
    audit: AuditEvent,
    options?: DeviceRevocationOptions,
  ): Promise<void>;
  /**
   * Marks the active invitation's coming expiry announced at `at`, with its event. `false`, with nothing written,
   * when it was announced already or is no longer active (or a concurrent write got there first): of two runs, one
   * announces.
   */
  recordExpiryReminder(invitationId: string, at: string, audit: AuditEvent, delivery?: Delivery): Promise<boolean>;
  /**
   * Claims the sending of `message` at `at`: true, with the claim recorded, while the invitation's delivery is queued
   * for that message and unclaimed (or claimed before `staleBefore`, by a sender that died); false otherwise, so of
   * two receipts of one message only one sends.
   */
  claimDelivery(invitationId: string, message: MailMessage, at: string, staleBefore: string): Promise<boolean>;
  /**
   * Sets the invitation's `delivery` (docs/SPEC.md §4.8), with its audit event when given. With `onlyIf`, only while
   * its delivery is still that message's (a report on an older message changes nothing). False when nothing changed:
   * the invitation is gone, or the condition no longer holds.
   */
  recordDelivery(
    invitationId: string,
    delivery: Delivery,
    audit?: AuditEvent,
    onlyIf?: { messageId: string },
  ): Promise<boolean>;
  /**
   * Gives the invitation a new token: the old lookup goes, the new one arrives, status back to active; with
   * `next.delivery`, the e-mail of the new token is queued with it.
   */
  rotateToken(
    invitation: Versioned<Invitation>,
    next: Pick<Invitation, 'tokenGeneration' | 'keyId' | 'tokenHint' | 'tokenHash' | 'delivery'>,
    oldTokenHash: string,
    audit: AuditEvent,
  ): Promise<void>;
  /**
   * Records an acceptance, provided the invitation and every ancestor (`usable.ids`) are still usable at `at`;
   * with `refresh`, refreshes that active device in the same transaction.
   */
  recordAcceptance(
    invitationId: string,
    acceptance: AcceptanceRecord,
    usable: { ids: readonly string[]; at: string },
    refresh?: DeviceRefresh,
  ): Promise<void>;
  /** Schedules the removal of everything an invitation holds besides its own record. Not audited. */
  scheduleDependentsRemoval(invitation: Invitation, removeAfter: Date): Promise<void>;
  /**
   * Schedules an expired invitation's own removal, provided it is unchanged since it was read; with `expiry`,
   * at once, marks it expired, revokes its active devices and appends the event.
   */
  closeExpired(invitation: Versioned<Invitation>, removeAfter: Date, expiry?: Expiry): Promise<void>;
  /** Ids of an invitation's direct children. */
  childIds(parentId: string): Promise<string[]>;
  /** Up to `limit` ids of an invitation's direct children, in id order, after `after` (from the first when undefined). */
  childIdsAfter(parentId: string, after: string | undefined, limit: number): Promise<string[]>;
  /** One page of invitations matching `filter`, status judged at `now`. */
  listInvitations(
    filter: InvitationFilter,
    limit: number,
    cursor: string | undefined,
    now: string,
  ): Promise<Page<Invitation>>;
}
