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
import { type UnrecordedRefusal, recordingRefusal, registerDevice } from './manage';
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
 * the invitation is device-bound, and records the acceptance. The registration of a device checks the invitation
 * and its ancestors, and a refusal of it is recorded (`recordingRefusal`); a tampered, forged or unknown
 * invitation records nothing.
 */
export async function acceptInvitation(
  deps: Deps,
  body: AcceptRequest,
  caller: Origin,
  onUnrecorded: UnrecordedRefusal = () => undefined,
): Promise<Acceptance> {
  const payload = decodeInvitation(body.encoded, await deps.keyRing());
  const deviceId = body.device && (body.device.deviceId ?? newDeviceId());
  const found = await lineageForToken(deps, payload.token, deviceId);
  if (!found) throw errors.unknownToken();
  const invitation = found.invitation.value;
  if (invitation.id !== payload.id) throw errors.tampered('it does not match the invitation its token belongs to');
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

  let device: Device | undefined;
  if (body.device && deviceId !== undefined) {
    // Its registration and the acceptance are one transaction.
    const request = { ...body.device, deviceId };
    device = await recordingRefusal(deps, { invitationId: invitation.id, deviceId }, origin, onUnrecorded, () =>
      registerDevice(deps, found, request, origin, acceptance),
    );
  } else {
    assertUsable(invitation, deps.now(), errors);
    assertAncestorsUsable(found.ancestors, deps.now());
    if (invitation.deviceBound) throw errors.deviceRequired();
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
