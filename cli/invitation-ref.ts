import type { RegistryClient } from './http';
import type { InvitationAnswer } from '../lambdas/contract/views';

/**
 * Every `<id|token>` argument: a token (`inv-…`) is resolved through `POST /invitations/lookup` so the secret
 * travels in a body, never in a URL; anything else is an invitation id.
 */
export const isToken = (reference: string) => reference.startsWith('inv-');

/** `/invitations/{id}` plus any further segments, each percent-encoded. */
export const invitationPath = (id: string, ...segments: string[]) =>
  ['/invitations', ...[id, ...segments].map(encodeURIComponent)].join('/');

const lookup = (client: RegistryClient, token: string) =>
  client.admin<InvitationAnswer>({ method: 'POST', path: '/invitations/lookup', body: { token } });

export const findInvitation = (client: RegistryClient, reference: string): Promise<InvitationAnswer> =>
  isToken(reference)
    ? lookup(client, reference)
    : client.admin<InvitationAnswer>({ method: 'GET', path: invitationPath(reference) });

export const invitationIdOf = async (client: RegistryClient, reference: string): Promise<string> =>
  isToken(reference) ? (await lookup(client, reference)).invitation.id : reference;
