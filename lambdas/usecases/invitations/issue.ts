import { createHash } from 'node:crypto';
import type { IdempotencyRecord, Lineage } from '../../ports';
import type { Spending } from '../../domain/delegation';
import { config } from '../../config';
import type { Origin } from '../../domain/audit';
import { RegistryError } from '../../domain/errors';
import { canonicalJson, encodeInvitation } from '../../domain/encoding';
import type { HandedOut, Invitation, InvitationRequest, InvitationSettings } from '../../domain/invitation';
import { AUDITED_SETTINGS, pickSettings } from '../../domain/invitation-settings';
import type { KeyRing } from '../../domain/keys';
import { parentErrors, placeUnder, resolveSettings, spendingChain } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import { deriveToken, hashToken, maskToken } from '../../domain/tokens';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { lineageForToken } from '../lookup';
import { optimistic } from '../optimistic';
import { deliveryAtCreation } from '../mail/queue';
import { deliveryDetails } from '../../domain/delivery';

export interface IssueRequest extends InvitationRequest {
  parentId?: string;
  parentToken?: string;
  /** E-mail it to its `email` once created (docs/SPEC.md §4.8). */
  deliver?: boolean;
}

export interface IssueOptions {
  origin: Origin;
  /** Created by the parent's holder: the owner fields must be the parent's (docs/SPEC.md §3.3). */
  byDelegate?: boolean;
  idempotencyKey?: string;
}

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

/**
 * Creates one invitation (docs/SPEC.md §3.1–§3.3) and hands it out with its token and encoded form.
 * With an idempotency key, the same request from the same principal within 24 hours returns the
 * invitation the first call created (`replayed`), and a different request under that key is refused.
 */
export async function issueInvitation(
  deps: Deps,
  request: IssueRequest,
  options: IssueOptions,
): Promise<{ issued: HandedOut; replayed: boolean }> {
  const { parentId, parentToken, deliver = false, ...settingsRequest } = request;
  // Read before anything is written: a misconfigured URL fails the request, not its answer.
  const registryApi = config.registryApiUrl();
  const idempotency = options.idempotencyKey === undefined ? undefined : idempotencyScope(options, request);
  return optimistic(async () => {
    if (idempotency) {
      const previous = await deps.store.findIdempotency(idempotency.scopeHash);
      if (previous) {
        return { issued: await replay(deps, previous, idempotency.requestHash, registryApi), replayed: true };
      }
    }
    const parent = await findParent(deps, parentId, parentToken);
    const now = deps.now();
    const under =
      parent &&
      placeUnder(parent.invitation.value, parent.ancestors, now, { units: 1, byDelegate: options.byDelegate ?? false });
    const { settings, notes } = resolveSettings(settingsRequest, under, now, config.defaultMaxDescendants());
    const ring = await deps.keyRing();
    const made = newInvitation(settings, deps.newId(), options.origin.actor, ring);
    const { token } = made;
    const invitation = deliver
      ? { ...made.invitation, delivery: deliveryAtCreation(made.invitation, now) }
      : made.invitation;
    await deps.store.createInvitation(invitation, creationEvent(deps, options.origin, invitation, notes), {
      ...(parent && { spending: spendingOf(parent, 1, rfc3339(now)) }),
      ...(idempotency && {
        idempotency: {
          ...idempotency,
          invitationId: invitation.id,
          notes,
          expiresAtEpoch: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_WINDOW_SECONDS,
        },
      }),
    });
    return { issued: handOut(invitation, token, ring, registryApi, notes), replayed: false };
  });
}

/**
 * The `invitation.created` event: what was created, with its settings and inheritance notes (never its token), and
 * for one to be mailed the e-mail it queues (`mailMessageOfEvent`).
 */
export function creationEvent(
  deps: Pick<Deps, 'now' | 'newId'>,
  origin: Origin,
  invitation: Invitation,
  notes: string[],
) {
  return audit(deps, origin, 'invitation.created', invitation.id, {
    ...pickSettings(invitation, AUDITED_SETTINGS),
    batchId: invitation.batchId,
    batchRow: invitation.batchRow,
    notes: notes.length > 0 ? notes : undefined,
    ...(invitation.delivery && deliveryDetails(invitation.delivery)),
  });
}

/** A new invitation record and its first token, derived with the current key. */
export function newInvitation(
  settings: InvitationSettings,
  id: string,
  createdBy: string,
  ring: KeyRing,
  batch?: { batchId: string; batchRow: number },
): { invitation: Invitation; token: string } {
  const token = deriveToken(ring, ring.currentKid, id, 1);
  const invitation: Invitation = {
    ...settings,
    id,
    status: 'active',
    createdBy,
    activeDevices: 0,
    descendantsCreated: 0,
    tokenGeneration: 1,
    keyId: ring.currentKid,
    tokenHint: maskToken(token),
    tokenHash: hashToken(token),
    ...batch,
  };
  return { invitation, token };
}

export function handOut(
  invitation: Invitation,
  token: string,
  ring: KeyRing,
  registryApi: string | undefined,
  notes: string[],
): HandedOut {
  return {
    invitation,
    token,
    encoded: encodeInvitation(invitation, token, ring, registryApi),
    notes,
  };
}

async function findParent(deps: Deps, parentId?: string, parentToken?: string): Promise<Lineage | undefined> {
  if (parentId === undefined && parentToken === undefined) return undefined;
  const parent =
    parentId !== undefined ? await deps.store.lineage(parentId) : await lineageForToken(deps, parentToken!);
  if (!parent) throw parentErrors.missing();
  return parent;
}

/** Spending `units` of the allowance of a parent (as read, with its ancestors) and of every ancestor above it. */
export function spendingOf(parent: Lineage, units: number, at: string): Spending {
  const chain = spendingChain(parent.invitation.value, parent.ancestors);
  return {
    at,
    spends: chain.map((invitation, n) => ({
      id: invitation.id,
      units,
      maxDescendants: invitation.maxDescendants,
      parent: n === 0,
    })),
  };
}

function idempotencyScope(options: IssueOptions, request: IssueRequest) {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  return {
    scopeHash: sha256(`${options.origin.actor}\n${options.idempotencyKey}`),
    requestHash: sha256(canonicalJson(request)),
  };
}

async function replay(
  deps: Deps,
  previous: IdempotencyRecord,
  requestHash: string,
  registryApi: string | undefined,
): Promise<HandedOut> {
  if (previous.requestHash !== requestHash) {
    throw new RegistryError(409, 'idempotency_key_reused', 'Idempotency-Key was already used with a different request');
  }
  const stored = await deps.store.getInvitation(previous.invitationId);
  if (!stored) throw new RegistryError(409, 'idempotency_key_reused', 'Idempotency-Key refers to a removed invitation');
  const invitation = stored.value;
  const ring = await deps.keyRing();
  const token = deriveToken(ring, invitation.keyId, invitation.id, invitation.tokenGeneration);
  return handOut(invitation, token, ring, registryApi, previous.notes);
}
