import type { AcceptanceRecord, Lineage } from '../../ports';
import { type Origin, asHolderOf } from '../../domain/audit';
import {
  type Device,
  type RegistrationRequest,
  type Validation,
  lastSeenDue,
  malformedValidation,
  planRegistration,
  refreshedDevice,
  validateDevice,
} from '../../domain/device';
import { RegistryError, errors, notFound } from '../../domain/errors';
import type { Invitation } from '../../domain/invitation';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { lineageForToken, requireInvitation, requireLineage } from '../lookup';
import { optimistic } from '../optimistic';

/**
 * Registers a device (docs/SPEC.md §3.4, §3.7). The cap, revoked ids, the non-transferable binding and the
 * ancestors' standing hold under any concurrency: the write only lands on the exact invitation state it was
 * checked against, and only while every ancestor is still usable. The first attempt plans from what the
 * caller already read (`known`, read with this device id); a retry reads it again. With `accepting`, the
 * acceptance it makes of the device is recorded in the same transaction.
 */
export function registerDevice(
  deps: Deps,
  known: Lineage,
  request: RegistrationRequest,
  origin: Origin,
  accepting?: (device: Device) => AcceptanceRecord,
): Promise<Device> {
  const invitationId = known.invitation.value.id;
  let firstRead: Lineage | undefined = known;
  return optimistic(async () => {
    const {
      invitation,
      ancestors,
      device: existing,
    } = firstRead ?? (await requireLineage(deps, invitationId, request.deviceId));
    firstRead = undefined;
    const now = deps.now();
    const seenAt = rfc3339(now);
    const ancestorIds = ancestors.map(({ id }) => id);
    if (planRegistration(invitation.value, ancestors, existing, request, now) === 'refresh') {
      const { hostname, label, fingerprintHash } = request;
      const refresh = { deviceId: request.deviceId, seenAt, reported: { hostname, label, fingerprintHash } };
      if (!accepting) return deps.store.touchDevice(invitationId, refresh.deviceId, seenAt, refresh.reported);
      const refreshed = refreshedDevice(existing!, refresh);
      const usable = { ids: [invitationId, ...ancestorIds], at: seenAt };
      await deps.store.recordAcceptance(invitationId, accepting(refreshed), usable, refresh);
      return refreshed;
    }
    const device: Device = {
      invitationId,
      deviceId: request.deviceId,
      hostname: request.hostname,
      username: request.username,
      ...(request.label !== undefined && { label: request.label }),
      ...(request.fingerprintHash !== undefined && { fingerprintHash: request.fingerprintHash }),
      status: 'active',
      registeredAt: seenAt,
      lastSeenAt: seenAt,
    };
    const bindUsername = !invitation.value.transferable && invitation.value.boundUsername === undefined;
    const event = audit(deps, origin, 'device.registered', device.deviceId, {
      invitationId,
      hostname: device.hostname,
      username: device.username,
      label: device.label,
    });
    await deps.store.addDevice(invitation, device, bindUsername, event, ancestorIds, seenAt, accepting?.(device));
    return device;
  });
}

/** Told of a refusal whose `device.refused` event could not be appended: the caller gets its refusal all the same. */
export type UnrecordedRefusal = (error: unknown, refusal: { invitationId: string; reason: string }) => void;

/**
 * Runs `register`, a registration of device `deviceId` with invitation `invitationId` (one that exists), and when
 * it is refused appends a `device.refused` event targeting the invitation (docs/SPEC.md §4.5): the reason is the
 * code the caller is answered (`max_devices_reached`, `invitation_revoked`, …), with the device id and, for an
 * ancestor's refusal, the ancestor's id; never the token. The event is written alone, once the refusal is decided,
 * so a registration that lands writes nothing more, and a request refused after retries records one event. A
 * failure to append it goes to `onUnrecorded`, and the refusal is thrown as it was.
 */
export async function recordingRefusal<T>(
  deps: Deps,
  { invitationId, deviceId }: { invitationId: string; deviceId: string },
  origin: Origin,
  onUnrecorded: UnrecordedRefusal,
  register: () => Promise<T>,
): Promise<T> {
  try {
    return await register();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const ancestorId = error.details?.ancestorId;
    const event = audit(deps, origin, 'device.refused', invitationId, {
      reason: error.code,
      deviceId,
      ancestorId: typeof ancestorId === 'string' ? ancestorId : undefined,
    });
    await deps.auditLog.append(event).catch((failure) => onUnrecorded(failure, { invitationId, reason: error.code }));
    throw error;
  }
}

/**
 * `POST /registry/register`: registers a device with the invitation its token belongs to. A refusal is recorded
 * (`recordingRefusal`); an unknown token records nothing, as there is no invitation to record it against.
 */
export async function registerWithToken(
  deps: Deps,
  token: string,
  request: RegistrationRequest,
  caller: Origin,
  onUnrecorded: UnrecordedRefusal = () => undefined,
): Promise<Device> {
  const lineage = await lineageForToken(deps, token, request.deviceId);
  if (!lineage) throw errors.unknownToken();
  const invitationId = lineage.invitation.value.id;
  const holder = asHolderOf(caller, invitationId);
  return recordingRefusal(deps, { invitationId, deviceId: request.deviceId }, holder, onUnrecorded, () =>
    registerDevice(deps, lineage, request, holder),
  );
}

/**
 * `valid` only for an active device of an active, unexpired invitation under usable ancestors. The token item
 * names the ancestors, so the invitation, the device and the ancestors come back from one BatchGetItem. A valid
 * answer moves `lastSeenAt` only once it is `deps.lastSeenIntervalSeconds` old, so most validations write
 * nothing; racing validations move it once, and a failed move (`onSeenFailure` hears of it) never turns the
 * answer into an error. Any input gets an answer: a token or device id that cannot be one is `malformed_token`
 * or `malformed_device_id`, without a read.
 */
export async function validateRegistration(
  deps: Deps,
  token: string,
  deviceId: string,
  onSeenFailure: (error: unknown) => void = () => undefined,
): Promise<Validation> {
  const malformed = malformedValidation(token, deviceId);
  if (malformed) return malformed;
  const lineage = await lineageForToken(deps, token, deviceId);
  const now = deps.now();
  const validation = validateDevice(lineage?.invitation.value, lineage?.ancestors ?? [], lineage?.device, now);
  const device = lineage?.device;
  if (validation.valid && device && lastSeenDue(device.lastSeenAt, now, deps.lastSeenIntervalSeconds)) {
    // A validation that lost the race to move it is told `false`: another one just did.
    await deps.store.recordSeen(device, rfc3339(now)).catch(onSeenFailure);
  }
  return validation;
}

export interface RevokedDevice {
  device: Device;
  /** It was revoked before this call, which changed nothing. */
  alreadyRevoked: boolean;
}

/**
 * Revokes one device; the invitation stays usable for others within its cap. A device revoked already is
 * left as it is, and said so: each caller decides whether that is a conflict.
 */
export async function revokeDevice(
  deps: Deps,
  invitationId: string,
  deviceId: string,
  reason: string | undefined,
  origin: Origin,
): Promise<RevokedDevice> {
  const alreadyRevoked = await optimistic(async () => {
    const invitation = await requireInvitation(deps, invitationId);
    const device = await deps.store.getDevice(invitationId, deviceId);
    if (!device) throw notFound('Device', { invitationId, deviceId });
    if (device.status === 'revoked') return true;
    const event = audit(deps, origin, 'device.revoked', deviceId, { invitationId, reason });
    await deps.store.revokeDevices(invitation, [device], revocation(deps, reason, origin), event);
    return false;
  });
  return { device: (await deps.store.getDevice(invitationId, deviceId))!, alreadyRevoked };
}

/**
 * Revokes every active device. `suspend` (the administrator's revoke-all) also suspends the
 * invitation so a stolen token cannot register a new device until it is rotated, and is refused on a revoked
 * invitation; a recipient revoking its own devices does not suspend, and on a revoked invitation (whose
 * devices went with it) finds nothing left to revoke.
 */
export async function revokeAllDevices(
  deps: Deps,
  invitationId: string,
  reason: string | undefined,
  suspend: boolean,
  origin: Origin,
): Promise<{ invitation: Invitation; revoked: Device[] }> {
  const revokedIds = await optimistic(async () => {
    const invitation = await requireInvitation(deps, invitationId);
    if (suspend && invitation.value.status === 'revoked') throw errors.alreadyRevoked('Invitation');
    const active = (await deps.store.listDevices(invitationId)).filter((device) => device.status === 'active');
    if (suspend || active.length > 0) {
      const deviceIds = active.map((device) => device.deviceId);
      const event = suspend
        ? audit(deps, origin, 'invitation.suspended', invitationId, { reason, devicesRevoked: deviceIds })
        : audit(deps, origin, 'devices.revoked', invitationId, { reason, devicesRevoked: deviceIds });
      await deps.store.revokeDevices(invitation, active, revocation(deps, reason, origin), event, {
        ...(suspend && { invitationStatus: 'suspended' }),
      });
    }
    return new Set(active.map((device) => device.deviceId));
  });
  const [invitation, devices] = await Promise.all([
    requireInvitation(deps, invitationId),
    deps.store.listDevices(invitationId),
  ]);
  return { invitation: invitation.value, revoked: devices.filter((device) => revokedIds.has(device.deviceId)) };
}

/** Who revoked, when and why, as kept on the revoked records. */
export const revocation = (deps: Pick<Deps, 'now'>, reason: string | undefined, origin: Origin) => ({
  at: rfc3339(deps.now()),
  by: origin.actor,
  ...(reason !== undefined && { reason }),
});
