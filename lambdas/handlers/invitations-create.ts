import { invalid } from '../domain/errors';
import { issueInvitation } from '../usecases/invitations/issue';
import { httpFunction } from './http';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const handler = httpFunction('invitationsCreate', {
  'POST /invitations': async ({ body, headers, origin, deps }) => {
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1-255 visible ASCII characters');
    }
    const { issued, replayed } = await issueInvitation(deps, body, {
      origin,
      idempotencyKey,
    });
    return replayed ? { status: 200, body: issued, headers: { 'idempotent-replayed': 'true' } } : { body: issued };
  },
});
