import { errors, invalid } from '../domain/errors';
import { isWellFormedDeviceId } from '../domain/tokens';
import { defaultDeps } from '../usecases/deps';
import { registerDevice, revokeAllDevices, revokeDevice, validateRegistration } from '../usecases/devices';
import { invitationForToken } from '../usecases/lookup';
import { registryDeviceView } from '../views';
import { httpFunction } from './http';
import { actorOfInvitation } from './principal';

/**
 * The reference client's registry contract (`CWS_REGISTRY_API=<api>/registry`): the token travels
 * in the request, as that client sends it, and is checked here.
 */
async function holderOf(token: string) {
  const invitation = await invitationForToken(defaultDeps(), token);
  if (!invitation) throw errors.unknownToken();
  return invitation;
}

function checkDeviceId(deviceId: string, field: string): string {
  if (!isWellFormedDeviceId(deviceId)) throw invalid(field, 'must be 1-128 letters, digits or . _ : -');
  return deviceId;
}

export const handler = httpFunction('registry', {
  'POST /registry/register': async ({ body }) => {
    const invitation = await holderOf(body.invitation_token);
    const device = await registerDevice(defaultDeps(), invitation, {
      deviceId: checkDeviceId(body.device_id, 'device_id'),
      hostname: body.hostname,
      username: body.username,
    });
    return { body: { registered: true, ...registryDeviceView(device) } };
  },
  'GET /registry/validate': async ({ query }) => ({
    body: await validateRegistration(defaultDeps(), query.token, checkDeviceId(query.device, 'device')),
  }),
  'GET /registry/devices': async ({ query }) => {
    const { value: invitation } = await holderOf(query.token);
    const devices = await defaultDeps().store.listDevices(invitation.id);
    return { body: { devices: devices.map(registryDeviceView) } };
  },
  'DELETE /registry/revoke': async ({ query }) => {
    const { value: invitation } = await holderOf(query.token);
    const revocation = { by: actorOfInvitation(invitation.id), reason: 'revoked by the invitation holder' };
    const device = await revokeDevice(defaultDeps(), invitation.id, checkDeviceId(query.device, 'device'), revocation);
    return { body: { revoked: true, ...registryDeviceView(device) } };
  },
  'DELETE /registry/revoke-all': async ({ query }) => {
    const { value: invitation } = await holderOf(query.token);
    const revocation = { by: actorOfInvitation(invitation.id), reason: 'revoked by the invitation holder' };
    const { revoked } = await revokeAllDevices(defaultDeps(), invitation.id, revocation, false);
    return { body: { revoked: revoked.length, devices: revoked.map(registryDeviceView) } };
  },
});
