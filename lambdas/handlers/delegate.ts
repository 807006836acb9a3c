import { decodeCursor, encodeCursor } from '../adapters/cursor';
import { authorizeDelegate, subtreePage } from '../usecases/invitations/delegate';
import { issueInvitation } from '../usecases/invitations/issue';
import { batchResults, startBatch, visibleBatch } from '../usecases/batch/requests';
import { batchView, invitationView } from '../contract/views';
import { resultsResult } from './batch-answers';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length <= 64;

export const handler = httpFunction('delegate', {
  'POST /delegate/batches': async ({ body, query, csv, headers, principal, origin, deps }) => {
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    return startBatch(deps, {
      request: { ...(csv === undefined ? body : query), parentId: holder.id },
      csv,
      source: 'delegate',
      origin,
    });
  },
  'GET /delegate/batches/{id}': async ({ params, headers, principal, deps }) => {
    await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    return { body: { batch: batchView(await visibleBatch(deps, params.id!, principal.actor)) } };
  },
  'GET /delegate/batches/{id}/results': async ({ params, headers, principal, deps }) => {
    await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    return resultsResult(await batchResults(deps, await visibleBatch(deps, params.id!, principal.actor)));
  },
  'POST /delegate/invitations': async ({ body, headers, principal, origin, deps }) => {
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const { issued } = await issueInvitation(deps, { ...body, parentId: holder.id }, { origin, byDelegate: true });
    return { body: issued };
  },
  'GET /delegate/invitations': async ({ query, headers, principal, deps }) => {
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
