import { RegistryError } from './errors';
import { type Invitation, effectiveStatus } from './invitation';

/**
 * An ancestor as read for a decision: its id (from the invitation's `ancestors`) and its record, which is
 * missing once the retention has removed it.
 */
export interface Ancestor {
  id: string;
  invitation?: Invitation;
}

export type AncestorCause = 'ancestor_revoked' | 'ancestor_suspended' | 'ancestor_expired';

/** Why an ancestor stops its subtree (docs/SPEC.md §3.7): the cause and the ancestor's id, never its token. */
export interface AncestorBlock {
  cause: AncestorCause;
  ancestorId: string;
  expiresAt?: string;
}

/**
 * The ancestor that makes its subtree unusable now, looking from the root down, so the refusal names the
 * widest cause. An ancestor whose record is gone ended long ago: it counts as revoked.
 */
export function blockingAncestor(ancestors: readonly Ancestor[], now: Date): AncestorBlock | undefined {
  for (const { id, invitation } of [...ancestors].reverse()) {
    if (!invitation) return { cause: 'ancestor_revoked', ancestorId: id };
    const status = effectiveStatus(invitation, now);
    if (status === 'expired') return { cause: 'ancestor_expired', ancestorId: id, expiresAt: invitation.expiresAt };
    if (status !== 'active') return { cause: `ancestor_${status}`, ancestorId: id };
  }
  return undefined;
}

const MESSAGES: Record<AncestorCause, (id: string) => string> = {
  ancestor_revoked: (id) => `Ancestor invitation ${id} has been revoked: its whole subtree is unusable`,
  ancestor_suspended: (id) =>
    `Ancestor invitation ${id} is suspended: its subtree is unusable until the administrator rotates it`,
  ancestor_expired: (id) => `Ancestor invitation ${id} has expired: its whole subtree is unusable`,
};

function ancestorError({ cause, ancestorId, expiresAt }: AncestorBlock): RegistryError {
  return new RegistryError(cause === 'ancestor_expired' ? 410 : 403, cause, MESSAGES[cause](ancestorId), {
    ancestorId,
    ...(expiresAt !== undefined && { expiresAt }),
  });
}

/** Refuses a use of an invitation under an ancestor that is revoked, suspended or expired (docs/SPEC.md §3.7). */
export function assertAncestorsUsable(ancestors: readonly Ancestor[], now: Date): void {
  const block = blockingAncestor(ancestors, now);
  if (block) throw ancestorError(block);
}

/** The ancestors a child of `parent` has: the parent, then the parent's own ancestors. */
export const ancestorsBelow = (parent: Pick<Invitation, 'id' | 'ancestors'>): string[] => [
  parent.id,
  ...(parent.ancestors ?? []),
];
