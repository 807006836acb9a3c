import { asHolderOf } from '../domain/audit';
import { errors } from '../domain/errors';
import type { Deps } from '../usecases/deps';
import { registerWithToken, revokeAllDevices, revokeDevice, validateRegistration } from '../usecases/devices/manage';
import { invitationForToken } from '../usecases/lookup';
import { registryDeviceView } from '../contract/views';
import { httpFunction } from './http';
import { logUnrecordedRefusal, logger } from './logger';
import { countMetric, countRefusedRegistration } from './metrics';

/**
 * The reference client's registry contract (`CWS_REGISTRY_API=<api>/registry`): the token travels
 * in the request, as that client sends it, and is checked here. That client takes any answer but a 200 for a
 * failure it covers with its local cache, so validation answers 200 to everything, and a revocation already
 * made is a 200 too.
 */
async function holderOf(deps: Deps, token: string) {
  const invitation = await invitationForToken(deps, token);
  if (!invitation) throw errors.unknownToken();
  return invitation;
}

const HOLDER_REASON = 'revoked by the invitation holder';

export const handler = httpFunction(
  'registry',
  {
    'POST /registry/register': async ({ body, origin, deps }) => {
      const request = { deviceId: body.device_id, hostname: body.hostname, username: body.username };
      const device = await registerWithToken(deps, body.invitation_token, request, origin, logUnrecordedRefusal);
      countMetric('DevicesRegistered', {});
      return { body: { registered: true, ...registryDeviceView(device) } };
    },
    'GET /registry/validate': async ({ query, deps }) => {
      const validation = await validateRegistration(deps, query.token, query.device, (error) =>
        logger.warn('lastSeenAt not moved; the validation answers all the same', { error: error as Error }),
      );
      if (!validation.valid) countMetric('ValidationsRefused', { reason: validation.reason });
      return { body: validation };
    },
    'GET /registry/devices': async ({ query, deps }) => {
      const { value: invitation } = await holderOf(deps, query.token);
      const devices = await deps.store.listDevices(invitation.id);
      // The reference client shows every device listed as registered.
      const active = devices.filter((device) => device.status === 'active');
      return { body: { devices: active.map(registryDeviceView) } };
    },
    'DELETE /registry/revoke': async ({ query, origin, deps }) => {
      const { value: invitation } = await holderOf(deps, query.token);
      const holder = asHolderOf(origin, invitation.id);
      const { device, alreadyRevoked } = await revokeDevice(deps, invitation.id, query.device, HOLDER_REASON, holder);
      return { body: { revoked: true, alreadyRevoked, ...registryDeviceView(device) } };
    },
    'DELETE /registry/revoke-all': async ({ query, origin, deps }) => {
      const { value: invitation } = await holderOf(deps, query.token);
      const holder = asHolderOf(origin, invitation.id);
      const { revoked } = await revokeAllDevices(deps, invitation.id, HOLDER_REASON, false, holder);
      return { body: { revoked: revoked.length, devices: revoked.map(registryDeviceView) } };
    },
  },
  { onRefusal: { 'POST /registry/register': countRefusedRegistration } },
);
