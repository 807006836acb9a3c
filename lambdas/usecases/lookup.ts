import type { Lineage, Versioned } from '../ports';
import { notFound } from '../domain/errors';
import type { Invitation } from '../domain/invitation';
import { hashToken, isWellFormedToken } from '../domain/tokens';
import type { Deps } from './deps';

/** The invitation a token currently belongs to; a malformed, rotated-away or unknown token finds none. */
export async function invitationForToken({ store }: Deps, token: string): Promise<Versioned<Invitation> | undefined> {
  if (!isWellFormedToken(token)) return undefined;
  const id = await store.invitationIdForToken(hashToken(token));
  return id === undefined ? undefined : store.getInvitation(id);
}

/** The invitation a token belongs to with its ancestors (and one device, when named): what a use decides on. */
export function lineageForToken(
  { store }: Pick<Deps, 'store'>,
  token: string,
  deviceId?: string,
): Promise<Lineage | undefined> {
  if (!isWellFormedToken(token)) return Promise.resolve(undefined);
  return store.lineageForToken(hashToken(token), deviceId);
}

export async function requireInvitation({ store }: Deps, id: string): Promise<Versioned<Invitation>> {
  const invitation = await store.getInvitation(id);
  if (!invitation) throw notFound('Invitation', { id });
  return invitation;
}

export async function requireLineage({ store }: Deps, id: string, deviceId?: string): Promise<Lineage> {
  const lineage = await store.lineage(id, deviceId);
  if (!lineage) throw notFound('Invitation', { id });
  return lineage;
}
