import { type Origin, asHolderOf } from '../../domain/audit';
import { errors } from '../../domain/errors';
import { decodeInvitation } from '../../domain/encoding';
import type { Device, RegistrationRequest } from '../../domain/device';
import { type Invitation, assertUsable } from '../../domain/invitation';
import { assertAncestorsUsable } from '../../domain/lineage';
import { rfc3339 } from '../../domain/time';
import { newDeviceId } from '../../domain/tokens';
import { audit } from '../audit';
import type { AcceptanceRecord } from '../../ports';
import type { Deps } from '../deps';
import { registerDevice } from './manage';
import { lineageForToken } from '../lookup';

export interface AcceptRequest {
  encoded: string;
  /** The profile's name; the invitation's unless given. */
  name?: string;
  /** The device to register; the registry makes its id unless given. */
  device?: Omit<RegistrationRequest, 'deviceId'> & { deviceId?: string };
}

/** An accepted invitation: the profile's name, the registry the encoded invitation names, the device registered. */
export interface Acceptance {
  invitation: Invitation;
  profileName: string;
  registryApi?: string;
  device?: Device;
}

/**
 * `prism profiles accept-invitation`: verifies the encoded invitation (a tampered, truncated or
 * forged one is refused before anything is written), registers the device when one is given or
 * the invitation is device-bound, and records the acceptance.
 */
export async function acceptInvitation(deps: Deps, body: AcceptRequest, caller: Origin): Promise<Acceptance> {
  const payload = decodeInvitation(body.encoded, await deps.keyRing());
  const deviceId = body.device && (body.device.deviceId ?? newDeviceId());
  const found = await lineageForToken(deps, payload.token, deviceId);
  if (!found) throw errors.unknownToken();
  const invitation = found.invitation.value;
  if (invitation.id !== payload.id) throw errors.tampered('it does not match the invitation its token belongs to');
  assertUsable(invitation, deps.now(), errors);
  assertAncestorsUsable(found.ancestors, deps.now());
  if (invitation.deviceBound && !body.device) throw errors.deviceRequired();
  const origin = asHolderOf(caller, invitation.id);
  const profileName = body.name ?? invitation.name;
  const acceptance = (registered?: Device): AcceptanceRecord => ({
    acceptanceId: deps.newId(),
    details: {
      acceptedAt: rfc3339(deps.now()),
      profileName,
      ...(registered && {
        deviceId: registered.deviceId,
        username: registered.username,
        hostname: registered.hostname,
      }),
    },
    audit: audit(deps, origin, 'invitation.accepted', invitation.id, { profileName, deviceId: registered?.deviceId }),
  });

  // With a device, its registration and the acceptance are one transaction.
  const device =
    body.device && deviceId !== undefined
      ? await registerDevice(deps, found, { ...body.device, deviceId }, origin, acceptance)
      : undefined;
  if (!device) {
    const usable = { ids: [invitation.id, ...found.ancestors.map(({ id }) => id)], at: rfc3339(deps.now()) };
    await deps.store.recordAcceptance(invitation.id, acceptance(), usable);
  }
  return {
    invitation,
    profileName,
    ...(payload.registry_api !== undefined && { registryApi: payload.registry_api }),
    ...(device && { device }),
  };
}
