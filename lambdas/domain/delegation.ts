import { RegistryError } from './errors';
import type { Invitation } from './invitation';

/**
 * What an invitation's ancestors still allow below them (docs/SPEC.md §3.8): the least any of them has left of its
 * `maxDescendants`, and the ancestor that has that least.
 */
export interface Allowance {
  left: number;
  ancestorId: string;
}

type Holder = Pick<Invitation, 'id' | 'maxDescendants' | 'descendantsCreated'>;

const leftOf = (invitation: Holder): number => Math.max(0, invitation.maxDescendants - invitation.descendantsCreated);

/** The allowance of a new child of `chain[0]`, given the parent first and then every ancestor above it. */
export function allowanceOf(chain: readonly Holder[]): Allowance {
  let least: Allowance | undefined;
  for (const invitation of chain) {
    const left = leftOf(invitation);
    if (!least || left < least.left) least = { left, ancestorId: invitation.id };
  }
  if (!least) throw new Error('An allowance needs at least the parent');
  return least;
}

export const quotaExceeded = ({ ancestorId }: Pick<Allowance, 'ancestorId'>): RegistryError =>
  new RegistryError(
    409,
    'delegation_quota_exceeded',
    `Invitation ${ancestorId} allows no more invitations below it (its maxDescendants is spent)`,
    { ancestorId },
  );

/** Spends `units` of the allowance, refusing when it has fewer left; what is left afterwards. */
export function spend(allowance: Allowance, units: number): Allowance {
  if (allowance.left < units) throw quotaExceeded(allowance);
  return { ...allowance, left: allowance.left - units };
}

/** Spending `units` of one ancestor's allowance, planned from its record as read. */
export interface Spend {
  id: string;
  units: number;
  /** Its `maxDescendants`: the spend lands only while it stays within it. */
  maxDescendants: number;
  /** The direct parent must also still allow sub-invitations. */
  parent: boolean;
}

/** The parent's and ancestors' allowances a creation spends, planned at `at`. */
export interface Spending {
  spends: Spend[];
  at: string;
}
