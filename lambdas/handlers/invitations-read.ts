import { notFound } from '../domain/errors';
import { rfc3339 } from '../domain/time';
import { invitationForToken, requireInvitation } from '../usecases/lookup';
import { invitationView } from '../contract/views';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

export const handler = httpFunction('invitationsRead', {
  'GET /invitations': async ({ query, deps }) => {
    const now = deps.now();
    const { limit = DEFAULT_PAGE, cursor, name, ...filter } = query;
    const page = await deps.store.listInvitations({ ...filter, namePrefix: name }, limit, cursor, rfc3339(now));
    return {
      body: {
        invitations: page.items.map((item) => invitationView(item, now)),
        ...(page.cursor && { cursor: page.cursor }),
      },
    };
  },
  'GET /invitations/{id}': async ({ params, deps }) => {
    const invitation = await requireInvitation(deps, params.id!);
    return { body: { invitation: invitationView(invitation.value, deps.now()) } };
  },
  'POST /invitations/lookup': async ({ body, deps }) => {
    const invitation = await invitationForToken(deps, body.token);
    if (!invitation) throw notFound('Invitation for this token');
    return { body: { invitation: invitationView(invitation.value, deps.now()) } };
  },
  'GET /invitations/{id}/devices': async ({ params, deps }) => {
    const { value } = await requireInvitation(deps, params.id!);
    return { body: { invitationId: value.id, devices: await deps.store.listDevices(value.id) } };
  },
});
