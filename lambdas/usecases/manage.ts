import type { Origin } from '../domain/audit';
import { RegistryError, errors } from '../domain/errors';
import { type Invitation, effectiveStatus } from '../domain/invitation';
import { deriveToken, hashToken, maskToken } from '../domain/tokens';
import type { IssuedInvitation } from '../views';
import { audit } from './audit';
import type { Deps } from './deps';
import { revocation } from './devices';
import { handOut } from './issue';
import { requireInvitation } from './lookup';
import { optimistic } from './optimistic';

export interface RevokeOutcome {
  invitation: Invitation;
  revokedDeviceCount: number;
  /** Descendants revoked with it (cascade), in the order they were reached. */
  cascaded: string[];
}

/** Revokes an invitation for good, with its devices; with `cascade`, every descendant too. */
export async function revokeInvitation(
  deps: Deps,
  id: string,
  reason: string | undefined,
  cascade: boolean,
  origin: Origin,
): Promise<RevokeOutcome> {
  const revokedDeviceCount = await revokeOne(deps, id, reason, origin);
  if (revokedDeviceCount === undefined) throw errors.alreadyRevoked('Invitation');
  const cascaded: string[] = [];
  if (cascade) {
    for (let frontier = [id]; frontier.length > 0;) {
      const children = (await Promise.all(frontier.map((parentId) => deps.store.childIds(parentId)))).flat();
      for (const childId of children) {
        if ((await revokeOne(deps, childId, reason, origin, id)) !== undefined) cascaded.push(childId);
      }
      frontier = children;
    }
  }
  return { invitation: (await requireInvitation(deps, id)).value, revokedDeviceCount, cascaded };
}

/** Revokes one invitation and its active devices; `undefined` when it already was revoked. */
function revokeOne(
  deps: Deps,
  id: string,
  reason: string | undefined,
  origin: Origin,
  cascadeFrom?: string,
): Promise<number | undefined> {
  return optimistic(async () => {
    const invitation = await requireInvitation(deps, id);
    if (invitation.value.status === 'revoked') return undefined;
    const active = (await deps.store.listDevices(id)).filter((device) => device.status === 'active');
    const devicesRevoked = active.map((device) => device.deviceId);
    const event = audit(deps, origin, 'invitation.revoked', id, { reason, devicesRevoked, cascadeFrom });
    await deps.store.revokeDevices(invitation, active, revocation(deps, reason, origin), event, 'revoked');
    return active.length;
  });
}

/**
 * The seeds' "invitation regeneration": a new token for the same invitation. The old token stops
 * working at once, a suspended invitation becomes active again, revoked devices stay revoked.
 */
export function rotateInvitation(
  deps: Deps,
  id: string,
  origin: Origin,
  registryApi?: string,
): Promise<IssuedInvitation> {
  return optimistic(async () => {
    const invitation = await requireInvitation(deps, id);
    const now = deps.now();
    const status = effectiveStatus(invitation.value, now);
    if (status === 'revoked') {
      throw new RegistryError(409, 'invitation_revoked', 'Invitation has been revoked; revocation is final');
    }
    if (status === 'expired') throw errors.expired(invitation.value.expiresAt);
    const ring = await deps.keyRing();
    const tokenGeneration = invitation.value.tokenGeneration + 1;
    const token = deriveToken(ring, ring.currentKid, id, tokenGeneration);
    const next = { tokenGeneration, keyId: ring.currentKid, tokenHint: maskToken(token), tokenHash: hashToken(token) };
    const event = audit(deps, origin, 'invitation.rotated', id, { tokenGeneration, keyId: ring.currentKid });
    await deps.store.rotateToken(invitation, next, invitation.value.tokenHash, event);
    const { revokedAt: _at, revokedBy: _by, revokeReason: _reason, ...active } = invitation.value;
    return handOut({ ...active, ...next, status: 'active' }, token, ring, registryApi, [], now);
  });
}
