import type { InvitationView } from '../../../lambdas/contract/views';

/**
 * What binds an invitation from above (docs/SPEC.md §3.3, §3.7): the settings its parent holds down, and the ancestor
 * whose state makes its whole subtree unusable.
 */

/** The settings a parent limits: a child can never ask for more than its parent has. */
export type BoundSetting = 'maxDevices' | 'expiresAt' | 'deviceBound' | 'transferable' | 'maxDescendants';

export interface Binding {
  setting: BoundSetting;
  /** A few words, for the tree. */
  short: string;
  /** Why the parent binds it, for the invitation's page. */
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
  const bind = (setting: BoundSetting, short: string, text: string) => bindings.push({ setting, short, text });
  if (child.maxDevices === parent.maxDevices) {
    bind('maxDevices', `max devices ${parent.maxDevices}`, "at its parent's limit: a sub-invitation may not have more");
  }
  if (child.expiresAt === parent.expiresAt) {
    bind('expiresAt', 'expiry', "its parent's: a sub-invitation may not outlive it");
  }
  if (child.deviceBound && parent.deviceBound) {
    bind('deviceBound', 'device-bound', 'its parent is device-bound, so it must be');
  }
  if (!child.transferable && !parent.transferable) {
    bind('transferable', 'not transferable', 'its parent is not transferable, so it may not be');
  }
  const left = allowanceLeft(parent);
  if (child.canInvite && allowanceLeft(child) >= left) {
    bind('maxDescendants', `allowance ${left}`, `its parent has ${left} left: no more can be created below it`);
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
