import type { InvitationView } from '../../../lambdas/contract/views';

/**
 * What binds an invitation from above (docs/SPEC.md §3.3, §3.7): the settings its parent holds down, and the ancestor
 * whose state makes its whole subtree unusable.
 */

/** The settings a parent limits: a child can never ask for more than its parent has. */
export type BoundSetting = 'maxDevices' | 'expiresAt' | 'deviceBound' | 'transferable' | 'maxDescendants';

export interface Binding {
  setting: BoundSetting;
  /** Why the parent binds it, in words. */
  text: string;
}

type Limits = Pick<
  InvitationView,
  'maxDevices' | 'expiresAt' | 'deviceBound' | 'transferable' | 'canInvite' | 'maxDescendants' | 'descendantsCreated'
>;

/** How many more invitations may still be created below `invitation`. */
export const allowanceLeft = (invitation: Pick<Limits, 'maxDescendants' | 'descendantsCreated'>): number =>
  Math.max(0, invitation.maxDescendants - invitation.descendantsCreated);

/**
 * The settings of `child` its parent binds: where it sits at its parent's limit (no more devices, no later expiry), is
 * held to its parent's device binding or non-transferability, or may create no more than its parent has left.
 */
export function bindingsFromParent(child: Limits, parent: Limits): Binding[] {
  const bindings: Binding[] = [];
  if (child.maxDevices === parent.maxDevices) {
    bindings.push({ setting: 'maxDevices', text: `max devices at its parent's limit (${parent.maxDevices})` });
  }
  if (child.expiresAt === parent.expiresAt) {
    bindings.push({ setting: 'expiresAt', text: 'expires with its parent' });
  }
  if (child.deviceBound && parent.deviceBound) {
    bindings.push({ setting: 'deviceBound', text: 'device-bound, as its parent is' });
  }
  if (!child.transferable && !parent.transferable) {
    bindings.push({ setting: 'transferable', text: 'not transferable, as its parent is not' });
  }
  if (child.canInvite && allowanceLeft(child) >= allowanceLeft(parent)) {
    bindings.push({
      setting: 'maxDescendants',
      text: `sub-invitations limited by what its parent has left (${allowanceLeft(parent)})`,
    });
  }
  return bindings;
}

/** An ancestor as the console read it: its record, or none when the registry no longer has it. */
export interface Ancestor {
  id: string;
  invitation?: InvitationView;
}

export interface Block {
  ancestorId: string;
  /** The ancestor's name, when its record is still there. */
  name?: string;
  /** Its status, or `removed` when the registry no longer has it (it ended long ago). */
  cause: 'revoked' | 'suspended' | 'expired' | 'removed';
}

/**
 * The ancestor that makes an invitation unusable, whatever its own status: the highest one (nearest the root) that is
 * not active, as the registry names it when it refuses. `ancestors` go from the parent up to the root.
 */
export function blockedBy(ancestors: readonly Ancestor[]): Block | undefined {
  for (const { id, invitation } of [...ancestors].reverse()) {
    if (!invitation) return { ancestorId: id, cause: 'removed' };
    if (invitation.status !== 'active') return { ancestorId: id, name: invitation.name, cause: invitation.status };
  }
  return undefined;
}

/** `blocked by ancestor lab-access: revoked` */
export const blockText = (block: Block): string =>
  `blocked by ancestor ${block.name ?? block.ancestorId}: ${block.cause}`;
