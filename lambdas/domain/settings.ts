import { type Allowance, allowanceOf, spend } from './delegation';
import { checkEmail } from './email';
import { RegistryError, invalid } from './errors';
import {
  type Invitation,
  type InvitationRequest,
  type InvitationSettings,
  LIMITS,
  MAX_DEPTH,
  assertUsable,
  checkName,
  checkRange,
  checkS3ConfigPath,
  typeRank,
} from './invitation';
import { type Ancestor, ancestorsBelow, assertAncestorsUsable } from './lineage';
import { narrowRestrictions } from './restrictions';
import { addDays, rfc3339 } from './time';

export interface ResolvedSettings {
  settings: InvitationSettings;
  /** Why a value differs from what was asked (docs/SPEC.md §3.3), one sentence each. */
  notes: string[];
}

const parentRule = (status: number, code: string, message: string) =>
  new RegistryError(status, code, message, { rule: code });

/** Refusals of docs/SPEC.md §3.3, each naming its rule. */
export const parentErrors = {
  missing: () => parentRule(404, 'parent_not_found', 'Parent invitation not found'),
  expired: (expiresAt: string) =>
    new RegistryError(410, 'parent_expired', `Parent invitation expired at ${expiresAt}`, {
      rule: 'parent_expired',
      expiresAt,
    }),
  revoked: () => parentRule(409, 'parent_revoked', 'Parent invitation has been revoked'),
  suspended: () => parentRule(409, 'parent_suspended', 'Parent invitation is suspended'),
  cannotInvite: () =>
    parentRule(403, 'parent_cannot_invite', 'Parent invitation does not allow sub-invitations (canInvite is false)'),
  tooDeep: () =>
    new RegistryError(
      400,
      'depth_exceeded',
      `The parent invitation is ${MAX_DEPTH} levels below its root: a child would be deeper than ${MAX_DEPTH}`,
      { rule: 'depth_exceeded', maxDepth: MAX_DEPTH },
    ),
  typeAboveParent: (child: string, parent: string) =>
    new RegistryError(403, 'type_exceeds_parent', `Type ${child} ranks above the parent's type ${parent}`, {
      rule: 'type_exceeds_parent',
      field: 'type',
    }),
};

/** Where a new invitation goes, when under a parent. */
export interface Under {
  parent: Invitation;
  /** What the parent and every ancestor above it still allow below the new child, its own unit already spent. */
  allowance?: Allowance;
  /** Created by the parent's holder (a delegate) rather than an administrator: the owner fields are the parent's. */
  byDelegate?: boolean;
}

/** The owner fields a delegate's children carry from their parent (docs/SPEC.md §3.3). */
const OWNER_FIELDS = ['ownerAccount', 'ownerProfile', 's3ConfigPath'] as const;

/**
 * Applies defaults and ranges (docs/SPEC.md §1.1) and, under a parent, the inheritance rules of docs/SPEC.md §3.3.
 * Refusals throw; adjustments are made and explained in `notes`. Nothing changes silently.
 * `defaultMaxDescendants` is the stack's setting for an invitation that asks for no allowance.
 */
export function resolveSettings(
  request: InvitationRequest,
  under: Under | undefined,
  now: Date,
  defaultMaxDescendants: number = LIMITS.maxDescendants.default,
): ResolvedSettings {
  const validDays = checkRange('validDays', request.validDays ?? LIMITS.validDays.default, LIMITS.validDays);
  const maxDevices = checkRange('maxDevices', request.maxDevices ?? LIMITS.maxDevices.default, LIMITS.maxDevices);
  const maxDescendants = checkRange(
    'maxDescendants',
    request.maxDescendants ?? defaultMaxDescendants,
    LIMITS.maxDescendants,
  );
  const createdAt = rfc3339(now);
  const settings: InvitationSettings = {
    name: checkName(request.name),
    type: request.type,
    validDays,
    canInvite: request.canInvite ?? request.type === 'admin',
    transferable: request.transferable ?? false,
    deviceBound: request.deviceBound ?? true,
    maxDevices,
    maxDescendants,
    createdAt,
    expiresAt: rfc3339(addDays(now, validDays)),
    ...optional('ownerAccount', request.ownerAccount),
    ...optional('ownerProfile', request.ownerProfile),
    ...optional(
      's3ConfigPath',
      request.s3ConfigPath === undefined ? undefined : checkS3ConfigPath(request.s3ConfigPath),
    ),
    ...optional('policyRestrictions', request.policyRestrictions),
    ...optional('email', request.email === undefined ? undefined : checkEmail(request.email)),
  };
  if (!under) return { settings, notes: [] };
  return inherit(settings, under, now);
}

/** A parent may have children only while active, unexpired, allowed to invite and not at the deepest level. */
export function assertParentMayInvite(parent: Invitation, now: Date): void {
  assertUsable(parent, now, parentErrors);
  if (!parent.canInvite) throw parentErrors.cannotInvite();
  if ((parent.ancestors?.length ?? 0) >= MAX_DEPTH) throw parentErrors.tooDeep();
}

function inherit(child: InvitationSettings, { parent, allowance, byDelegate }: Under, now: Date): ResolvedSettings {
  assertParentMayInvite(parent, now);
  if (typeRank(child.type) > typeRank(parent.type)) throw parentErrors.typeAboveParent(child.type, parent.type);

  const notes: string[] = [];
  const settings: InvitationSettings = {
    ...child,
    parentId: parent.id,
    ancestors: ancestorsBelow(parent),
  };
  for (const field of OWNER_FIELDS) {
    const own = parent[field];
    if (byDelegate && child[field] !== undefined && child[field] !== own) {
      throw invalid(
        field,
        own === undefined
          ? 'a delegate cannot set it: the parent invitation has none'
          : `a delegate cannot change it: children carry the parent invitation's value`,
      );
    }
    if (settings[field] === undefined && own !== undefined) settings[field] = own;
  }
  if (parent.deviceBound && !child.deviceBound) {
    settings.deviceBound = true;
    notes.push('deviceBound set to true: the parent invitation is device-bound');
  }
  if (!parent.transferable && child.transferable) {
    settings.transferable = false;
    notes.push('transferable set to false: the parent invitation is not transferable');
  }
  if (child.maxDevices > parent.maxDevices) {
    settings.maxDevices = parent.maxDevices;
    notes.push(`maxDevices lowered from ${child.maxDevices} to ${parent.maxDevices}: the parent's maximum`);
  }
  if (Date.parse(child.expiresAt) > Date.parse(parent.expiresAt)) {
    settings.expiresAt = parent.expiresAt;
    notes.push(`expiresAt cut from ${child.expiresAt} to ${parent.expiresAt}: the parent's expiry`);
  }
  if (allowance && child.maxDescendants > allowance.left) {
    settings.maxDescendants = allowance.left;
    const whose = allowance.ancestorId === parent.id ? 'the parent invitation' : `ancestor ${allowance.ancestorId}`;
    notes.push(`maxDescendants lowered from ${child.maxDescendants} to ${allowance.left}: what ${whose} has left`);
  }
  const restrictions = narrowRestrictions(child.policyRestrictions, parent.policyRestrictions);
  if (restrictions.value) settings.policyRestrictions = restrictions.value;
  notes.push(...restrictions.notes);
  return { settings, notes };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Where a new child of `parent` goes (docs/SPEC.md §3.3, §3.7, §3.8): the parent may invite, every ancestor above it
 * is usable, and the parent and every ancestor have `units` of their allowance left. The allowance then
 * given is what remains after those units.
 */
export function placeUnder(
  parent: Invitation,
  ancestors: readonly Ancestor[],
  now: Date,
  { units, byDelegate }: { units: number; byDelegate: boolean },
): Under {
  assertParentMayInvite(parent, now);
  assertAncestorsUsable(ancestors, now);
  return { parent, allowance: spend(allowanceOf(spendingChain(parent, ancestors)), units), byDelegate };
}

/** The parent, then every ancestor above it: the invitations a creation under `parent` spends from. */
export const spendingChain = (parent: Invitation, ancestors: readonly Ancestor[]): Invitation[] => [
  parent,
  ...ancestors.flatMap(({ invitation }) => (invitation ? [invitation] : [])),
];
