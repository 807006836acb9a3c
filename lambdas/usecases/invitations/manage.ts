import { config } from '../../config';
import type { Origin } from '../../domain/audit';
import { RegistryError, errors } from '../../domain/errors';
import { type HandedOut, type Invitation, effectiveStatus } from '../../domain/invitation';
import type { Job } from '../../domain/job';
import { deriveToken, hashToken, maskToken } from '../../domain/tokens';
import { audit } from '../audit';
import { deliveryDetails, queuedDelivery } from '../../domain/delivery';
import { rfc3339 } from '../../domain/time';
import type { Deps } from '../deps';
import { revocation } from '../devices/manage';
import { handOut } from './issue';
import { startJob } from '../jobs/start-job';
import { requireInvitation } from '../lookup';
import { optimistic } from '../optimistic';

export interface RevokeOutcome {
  invitation: Invitation;
  revokedDeviceCount: number;
  /** It had been revoked before: no conflict for a cascade, which is safe to run again. */
  alreadyRevoked: boolean;
  /** With `cascade`: the job that records every descendant as revoked. */
  job?: Job;
}

/**
 * Revokes an invitation for good, with its devices: it and its whole subtree are unusable from this moment
 * (docs/SPEC.md §3.7). With `cascade`, a `revoke-cascade` job then records every descendant as revoked too, whatever
 * the size of the subtree; an invitation revoked already is then no conflict, so a cascade can be run again.
 */
export async function revokeInvitation(
  deps: Deps,
  id: string,
  reason: string | undefined,
  cascade: boolean,
  origin: Origin,
): Promise<RevokeOutcome> {
  const { devicesRevoked } = await revokeOne(deps, id, reason, origin);
  if (devicesRevoked === undefined && !cascade) throw errors.alreadyRevoked('Invitation');
  const job = cascade
    ? await startJob(deps, 'revoke-cascade', { rootId: id, ...(reason !== undefined && { reason }) }, origin)
    : undefined;
  return {
    invitation: (await requireInvitation(deps, id)).value,
    revokedDeviceCount: devicesRevoked ?? 0,
    alreadyRevoked: devicesRevoked === undefined,
    ...(job && { job }),
  };
}

/** What revoking one invitation did: the invitation as it was found, and how many active devices it revoked. */
export interface OneRevocation {
  found: Invitation;
  /** Undefined when it had been revoked already (and nothing changed). */
  devicesRevoked?: number;
}

/**
 * Revokes one invitation and its active devices in one transaction with its `invitation.revoked` event
 * (`cascadeFrom`: the root of the cascade that reached it).
 */
export function revokeOne(
  deps: Deps,
  id: string,
  reason: string | undefined,
  origin: Origin,
  cascadeFrom?: string,
): Promise<OneRevocation> {
  return optimistic(async () => {
    const invitation = await requireInvitation(deps, id);
    if (invitation.value.status === 'revoked') return { found: invitation.value };
    const active = (await deps.store.listDevices(id)).filter((device) => device.status === 'active');
    const devicesRevoked = active.map((device) => device.deviceId);
    const event = audit(deps, origin, 'invitation.revoked', id, { reason, devicesRevoked, cascadeFrom });
    await deps.store.revokeDevices(invitation, active, revocation(deps, reason, origin), event, {
      invitationStatus: 'revoked',
    });
    return { found: invitation.value, devicesRevoked: active.length };
  });
}

/**
 * The seeds' "invitation regeneration": a new token for the same invitation. The old token stops
 * working at once, a suspended invitation becomes active again, revoked devices stay revoked. With `deliver`, the
 * new token's e-mail is queued in the same write (`invitations send`).
 */
export function rotateInvitation(
  deps: Deps,
  id: string,
  origin: Origin,
  options: { deliver?: boolean } = {},
): Promise<HandedOut> {
  return optimistic(async () => {
    const registryApi = config.registryApiUrl();
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
    const message = { invitationId: id, kind: 'invitation' as const, tokenGeneration };
    const next = {
      tokenGeneration,
      keyId: ring.currentKid,
      tokenHint: maskToken(token),
      tokenHash: hashToken(token),
      ...(options.deliver && { delivery: queuedDelivery(message, rfc3339(now)) }),
    };
    const event = audit(deps, origin, 'invitation.rotated', id, {
      tokenGeneration,
      keyId: ring.currentKid,
      ...(options.deliver && deliveryDetails(message)),
    });
    await deps.store.rotateToken(invitation, next, invitation.value.tokenHash, event);
    const { revokedAt: _at, revokedBy: _by, revokeReason: _reason, ...active } = invitation.value;
    return handOut({ ...active, ...next, status: 'active' }, token, ring, registryApi, []);
  });
}
