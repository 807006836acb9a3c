import { errors } from './errors';
import { type Invitation, assertUsable, effectiveStatus } from './invitation';
import { type Ancestor, type AncestorCause, assertAncestorsUsable, blockingAncestor } from './lineage';
import { isWellFormedDeviceId, isWellFormedToken } from './tokens';

export type DeviceStatus = 'active' | 'revoked';

export interface Device {
  invitationId: string;
  deviceId: string;
  hostname: string;
  username: string;
  label?: string;
  fingerprintHash?: string;
  status: DeviceStatus;
  registeredAt: string;
  lastSeenAt: string;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
}

/** Who revoked, when and why: what a revocation records on each device (and invitation) it revokes. */
export interface Revocation {
  at: string;
  by: string;
  reason?: string;
}

export interface RegistrationRequest {
  deviceId: string;
  hostname: string;
  username: string;
  label?: string;
  fingerprintHash?: string;
}

/** How long a device's `lastSeenAt` may lag its latest successful validation, unless configured (5 minutes). */
export const DEFAULT_LAST_SEEN_INTERVAL_SECONDS = 300;
/** The range a deployment may configure it in: 0 moves `lastSeenAt` on every validation, 3,600 is an hour. */
export const LAST_SEEN_INTERVAL_LIMITS = { min: 0, max: 3600 } as const;

/**
 * Whether a validation at `now` moves `lastSeenAt`: once it is `intervalSeconds` old or more. Between, the
 * validation writes nothing, so `lastSeenAt` is at most that much older than the device's latest validation.
 */
export const lastSeenDue = (lastSeenAt: string, now: Date, intervalSeconds: number): boolean =>
  now.getTime() - Date.parse(lastSeenAt) >= intervalSeconds * 1000;

/** The days unseen after which the `stale-devices` job revokes a device, when a deployment sets them (docs/SPEC.md §4.8). */
export const STALE_DEVICE_DAYS = { min: 1, max: 3650 } as const;

/**
 * Whether an active device went unseen since `cutoff`: its `lastSeenAt` (which a validation moves, up to the
 * last-seen interval late) is older.
 */
export const unseenSince = (device: Pick<Device, 'status' | 'lastSeenAt'>, cutoff: string): boolean =>
  device.status === 'active' && device.lastSeenAt < cutoff;

/** What a device reports again when it registers again. */
export type ReportedDevice = Partial<Pick<Device, 'hostname' | 'username' | 'label' | 'fingerprintHash'>>;

/** A device registering again: its new `lastSeenAt` and what it reports, written while it is active. */
export interface DeviceRefresh {
  deviceId: string;
  seenAt: string;
  reported: ReportedDevice;
}

/** An active device as a refresh leaves it: `lastSeenAt` moved, and each field it reports again replaced. */
export function refreshedDevice(device: Device, { seenAt, reported }: DeviceRefresh): Device {
  const given = Object.entries(reported).filter(([, value]) => value !== undefined);
  return { ...device, ...Object.fromEntries(given), lastSeenAt: seenAt };
}

/** `refresh`: an already-active device registering again (idempotent); `register`: a new device. */
export type RegistrationPlan = 'refresh' | 'register';

/**
 * The rules of docs/SPEC.md §3.4, checked in order so the refusal names the first rule broken.
 * The store re-checks the same conditions atomically; this gives the caller the reason.
 */
export function planRegistration(
  invitation: Invitation,
  ancestors: readonly Ancestor[],
  existing: Device | undefined,
  request: Pick<RegistrationRequest, 'username'>,
  now: Date,
): RegistrationPlan {
  assertUsable(invitation, now, errors);
  assertAncestorsUsable(ancestors, now);
  if (existing?.status === 'revoked') throw errors.deviceRevoked(existing.deviceId);
  if (
    !invitation.transferable &&
    invitation.boundUsername !== undefined &&
    invitation.boundUsername !== request.username
  ) {
    throw errors.notTransferable();
  }
  if (existing?.status === 'active') return 'refresh';
  if (invitation.activeDevices >= invitation.maxDevices) throw errors.maxDevices(invitation.maxDevices);
  return 'register';
}

export type InvalidReason =
  | 'malformed_token'
  | 'malformed_device_id'
  | 'unknown_token'
  | 'unknown_device'
  | 'device_revoked'
  | 'invitation_expired'
  | 'invitation_revoked'
  | 'invitation_suspended'
  | AncestorCause;

export type Validation = { valid: true } | { valid: false; reason: InvalidReason; ancestorId?: string };

/**
 * The answer to a validation whose token or device id cannot name anything (empty, or not in their format),
 * given without a read: the reference client takes any answer but a 200 for "valid, from the local cache".
 */
export function malformedValidation(token: string, deviceId: string): Validation | undefined {
  if (!isWellFormedToken(token)) return { valid: false, reason: 'malformed_token' };
  if (!isWellFormedDeviceId(deviceId)) return { valid: false, reason: 'malformed_device_id' };
  return undefined;
}

/** `valid` only for an active device of an active, unexpired invitation whose every ancestor is so too. */
export function validateDevice(
  invitation: Invitation | undefined,
  ancestors: readonly Ancestor[],
  device: Device | undefined,
  now: Date,
): Validation {
  if (!invitation) return { valid: false, reason: 'unknown_token' };
  const status = effectiveStatus(invitation, now);
  if (status !== 'active') return { valid: false, reason: `invitation_${status}` };
  const block = blockingAncestor(ancestors, now);
  if (block) return { valid: false, reason: block.cause, ancestorId: block.ancestorId };
  if (!device) return { valid: false, reason: 'unknown_device' };
  if (device.status !== 'active') return { valid: false, reason: 'device_revoked' };
  return { valid: true };
}
