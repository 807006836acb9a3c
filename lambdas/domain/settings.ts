import { RegistryError } from './errors';
import {
  type Invitation,
  type InvitationRequest,
  type InvitationSettings,
  LIMITS,
  assertUsable,
  checkName,
  checkRange,
  checkS3ConfigPath,
  typeRank,
} from './invitation';
import { addDays, rfc3339 } from './time';

export interface ResolvedSettings {
  settings: InvitationSettings;
  /** Why a value differs from what was asked (SPEC §3.3), one sentence each. */
  notes: string[];
}

const parentRule = (status: number, code: string, message: string) =>
  new RegistryError(status, code, message, { rule: code });

/** Refusals of SPEC §3.3, each naming its rule. */
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
  typeAboveParent: (child: string, parent: string) =>
    new RegistryError(403, 'type_exceeds_parent', `Type ${child} ranks above the parent's type ${parent}`, {
      rule: 'type_exceeds_parent',
      field: 'type',
    }),
};

/**
 * Applies defaults and ranges (SPEC §1.1) and, under a parent, the inheritance rules of SPEC §3.3.
 * Refusals throw; adjustments are made and explained in `notes`. Nothing changes silently.
 */
export function resolveSettings(
  request: InvitationRequest,
  parent: Invitation | undefined,
  now: Date,
): ResolvedSettings {
  const validDays = checkRange('validDays', request.validDays ?? LIMITS.validDays.default, LIMITS.validDays);
  const maxDevices = checkRange('maxDevices', request.maxDevices ?? LIMITS.maxDevices.default, LIMITS.maxDevices);
  const createdAt = rfc3339(now);
  const settings: InvitationSettings = {
    name: checkName(request.name),
    type: request.type,
    validDays,
    canInvite: request.canInvite ?? request.type === 'admin',
    transferable: request.transferable ?? false,
    deviceBound: request.deviceBound ?? true,
    maxDevices,
    createdAt,
    expiresAt: rfc3339(addDays(now, validDays)),
    ...optional('ownerAccount', request.ownerAccount),
    ...optional('ownerProfile', request.ownerProfile),
    ...optional(
      's3ConfigPath',
      request.s3ConfigPath === undefined ? undefined : checkS3ConfigPath(request.s3ConfigPath),
    ),
    ...optional('policyRestrictions', request.policyRestrictions),
  };
  if (!parent) return { settings, notes: [] };
  return inherit(settings, parent, now);
}

/** A parent may have children only while active, unexpired and allowed to invite. */
export function assertParentMayInvite(parent: Invitation, now: Date): void {
  assertUsable(parent, now, parentErrors);
  if (!parent.canInvite) throw parentErrors.cannotInvite();
}

function inherit(child: InvitationSettings, parent: Invitation, now: Date): ResolvedSettings {
  assertParentMayInvite(parent, now);
  if (typeRank(child.type) > typeRank(parent.type)) throw parentErrors.typeAboveParent(child.type, parent.type);

  const notes: string[] = [];
  const settings: InvitationSettings = { ...child, parentId: parent.id };
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
  return { settings, notes };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
