import { type Origin, asHolderOf } from '../../domain/audit';
import { errors } from '../../domain/errors';
import { decodeInvitation } from '../../domain/encoding';
import { assertUsable } from '../../domain/invitation';
import { assertAncestorsUsable } from '../../domain/lineage';
import { rfc3339 } from '../../domain/time';
import { newDeviceId } from '../../domain/tokens';
import type { AcceptBody } from '../../contract/schemas';
import type { AcceptedInvitation } from '../../contract/views';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { registerDevice } from './manage';
import { lineageForToken } from '../lookup';

/**
 * `prism profiles accept-invitation`: verifies the encoded invitation (a tampered, truncated or
 * forged one is refused before anything is written), registers the device when one is given or
 * the invitation is device-bound, and records the acceptance.
 */
export async function acceptInvitation(deps: Deps, body: AcceptBody, caller: Origin): Promise<AcceptedInvitation> {
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

  const device =
    body.device && deviceId !== undefined
      ? await registerDevice(deps, found, { ...body.device, deviceId }, origin)
      : undefined;
  const profileName = body.name ?? invitation.name;
  const acceptedAt = rfc3339(deps.now());
  await deps.store.recordAcceptance(
    invitation.id,
    deps.newId(),
    {
      acceptedAt,
      profileName,
      ...(device && { deviceId: device.deviceId, username: device.username, hostname: device.hostname }),
    },
    audit(deps, origin, 'invitation.accepted', invitation.id, { profileName, deviceId: device?.deviceId }),
    { ids: [invitation.id, ...found.ancestors.map(({ id }) => id)], at: acceptedAt },
  );
  return {
    invitationId: invitation.id,
    profile: {
      name: body.name ?? invitation.name,
      type: invitation.type,
      ...(invitation.ownerAccount !== undefined && { ownerAccount: invitation.ownerAccount }),
      ...(invitation.ownerProfile !== undefined && { ownerProfile: invitation.ownerProfile }),
      ...(invitation.s3ConfigPath !== undefined && { s3ConfigPath: invitation.s3ConfigPath }),
      ...(invitation.policyRestrictions !== undefined && { policyRestrictions: invitation.policyRestrictions }),
      expiresAt: invitation.expiresAt,
      canInvite: invitation.canInvite,
      transferable: invitation.transferable,
      deviceBound: invitation.deviceBound,
      maxDevices: invitation.maxDevices,
      ...(payload.registry_api !== undefined && { registryApi: payload.registry_api }),
    },
    ...(device && { device }),
  };
}
