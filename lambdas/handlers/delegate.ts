import { decodeCursor, encodeCursor } from '../ports/cursor';
import { authorizeDelegate, subtreePage } from '../usecases/invitations/delegate';
import { issueInvitation } from '../usecases/invitations/issue';
import { batchResults, visibleBatch } from '../usecases/batch/requests';
import { startBatch } from '../usecases/batch/start';
import { invitationView, issuedView } from '../contract/views';
import { batchResult, resultsResult, startedResult } from './batch-answers';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length <= 64;

export const handler = httpFunction('delegate', {
  'POST /delegate/batches': async ({ body, query, csv, headers, principal, origin, deps }) => {
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const request = { ...(csv === undefined ? body : query), parentId: holder.id };
    return startedResult(await startBatch(deps, { request, csv, source: 'delegate', origin }));
  },
  'GET /delegate/batches/{id}': async ({ params, headers, principal, deps }) => {
    await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    return batchResult(await visibleBatch(deps, params.id!, principal.actor));
  },
  'GET /delegate/batches/{id}/results': async ({ params, headers, principal, deps }) => {
    await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const batch = await visibleBatch(deps, params.id!, principal.actor);
    return resultsResult(batch, await batchResults(deps, batch));
  },
  'POST /delegate/invitations': async ({ body, headers, principal, origin, deps }) => {
    const holder = await authorizeDelegate(deps, principal.invitationId, headers['x-prism-device']);
    const { issued } = await issueInvitation(deps, { ...body, parentId: holder.id }, { origin, byDelegate: true });
    return { body: issuedView(issued, deps.now()) };
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
