import { decodeCursor, encodeCursor } from '../adapters/cursor';
import { defaultDeps } from '../usecases/deps';
import { authorizeDelegate, subtreePage } from '../usecases/delegate';
import { issueInvitation } from '../usecases/issue';
import { invitationView } from '../views';
import { httpFunction } from './http';
import { registryApiFor } from './principal';

const DEFAULT_PAGE = 50;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length <= 64;

export const handler = httpFunction('delegate', {
  'POST /delegate/invitations': async ({ body, headers, principal, event }) => {
    const deps = defaultDeps();
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const { issued } = await issueInvitation(
      deps,
      { ...body, parentId: holder.id },
      { actor: principal.actor, registryApi: registryApiFor(event) },
    );
    return { body: issued };
  },
  'GET /delegate/invitations': async ({ query, headers, principal }) => {
    const deps = defaultDeps();
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const page = await subtreePage(deps, holder.id, query.limit ?? DEFAULT_PAGE, decodeCursor(query.cursor, isId));
    const now = deps.now();
    return {
      body: {
        invitations: page.invitations.map((invitation) => invitationView(invitation, now)),
        ...(page.after && { cursor: encodeCursor(page.after) }),
      },
    };
  },
});
