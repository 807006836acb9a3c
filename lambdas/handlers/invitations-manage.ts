import { defaultDeps } from '../usecases/deps';
import { revokeAllDevices, revokeDevice } from '../usecases/devices';
import { revokeInvitation, rotateInvitation } from '../usecases/manage';
import { invitationView } from '../views';
import { httpFunction } from './http';
import { registryApiFor } from './principal';

export const handler = httpFunction('invitationsManage', {
  'POST /invitations/{id}/revoke': async ({ params, body, principal }) => {
    const deps = defaultDeps();
    const outcome = await revokeInvitation(
      deps,
      params.id!,
      { by: principal.actor, reason: body.reason },
      body.cascade ?? false,
    );
    return { body: { ...outcome, invitation: invitationView(outcome.invitation, deps.now()) } };
  },
  'POST /invitations/{id}/rotate': async ({ params, event }) => ({
    body: await rotateInvitation(defaultDeps(), params.id!, registryApiFor(event)),
  }),
  'DELETE /invitations/{id}/devices/{deviceId}': async ({ params, query, principal }) => {
    const revocation = { by: principal.actor, reason: query.reason };
    return { body: { device: await revokeDevice(defaultDeps(), params.id!, params.deviceId!, revocation) } };
  },
  'DELETE /invitations/{id}/devices': async ({ params, query, principal }) => {
    const deps = defaultDeps();
    const revocation = { by: principal.actor, reason: query.reason };
    const { invitation, revoked } = await revokeAllDevices(deps, params.id!, revocation, true);
    return { body: { invitation: invitationView(invitation, deps.now()), revokedDevices: revoked } };
  },
});
