import { invalid } from '../domain/errors';
import { defaultDeps } from '../usecases/deps';
import { issueInvitation } from '../usecases/issue';
import { httpFunction } from './http';
import { registryApiFor } from './principal';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const handler = httpFunction('invitationsCreate', {
  'POST /invitations': async ({ body, headers, origin, event }) => {
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1-255 visible ASCII characters');
    }
    const { issued, replayed } = await issueInvitation(defaultDeps(), body, {
      origin,
      registryApi: registryApiFor(event),
      idempotencyKey,
    });
    return replayed ? { status: 200, body: issued, headers: { 'idempotent-replayed': 'true' } } : { body: issued };
  },
});
