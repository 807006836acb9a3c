import { errors } from '../domain/errors';
import { wellFormedDeviceId } from '../domain/tokens';
import { revokeAllDevices, revokeDevice } from '../usecases/devices/manage';
import { revokeInvitation, rotateInvitation } from '../usecases/invitations/manage';
import { type RevokedInvitation, invitationView, issuedView, jobView } from '../contract/views';
import { sendInvitation } from '../usecases/mail/resend';
import { httpFunction } from './http';

export const handler = httpFunction('invitationsManage', {
  'POST /invitations/{id}/revoke': async ({ params, body, origin, deps }) => {
    const { invitation, job, ...outcome } = await revokeInvitation(
      deps,
      params.id!,
      body.reason,
      body.cascade ?? false,
      origin,
    );
    const revoked: RevokedInvitation = {
      ...outcome,
      invitation: invitationView(invitation, deps.now()),
      ...(job && { job: jobView(job) }),
    };
    return { body: revoked };
  },
  'POST /invitations/{id}/rotate': async ({ params, origin, deps }) => ({
    body: issuedView(await rotateInvitation(deps, params.id!, origin), deps.now()),
  }),
  'POST /invitations/{id}/send': async ({ params, origin, deps }) => ({
    body: { invitation: invitationView(await sendInvitation(deps, params.id!, origin), deps.now()) },
  }),
  'DELETE /invitations/{id}/devices/{deviceId}': async ({ params, query, origin, deps }) => {
    const deviceId = wellFormedDeviceId(params.deviceId!, 'deviceId');
    const { device, alreadyRevoked } = await revokeDevice(deps, params.id!, deviceId, query.reason, origin);
    if (alreadyRevoked) throw errors.alreadyRevoked('Device');
    return { body: { device } };
  },
  'DELETE /invitations/{id}/devices': async ({ params, query, origin, deps }) => {
    const { invitation, revoked } = await revokeAllDevices(deps, params.id!, query.reason, true, origin);
    return { body: { invitation: invitationView(invitation, deps.now()), revokedDevices: revoked } };
  },
});
