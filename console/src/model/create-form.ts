import type { CreateInvitationBody } from '../../../lambdas/contract/schemas';
import { type InvitationType, LIMITS } from '../../../lambdas/domain/invitation';

/**
 * The create form's values and the request body they make, as `invitations create` and `create-secure` build it
 * (cli/commands/invitations.ts): the two differ only in whether the invitation may invite by default (docs/SPEC.md
 * §3.1): `create` lets admin invitations invite, `create-secure` lets none unless asked.
 */

export type CreateMode = 'create' | 'create-secure';

export interface CreateForm {
  name: string;
  type: InvitationType;
  /** Numbers as typed; empty means the registry's default. */
  validDays: string;
  canInvite: boolean;
  /** Whether the administrator set `canInvite` themselves; until then it follows the mode's default. */
  canInviteChosen: boolean;
  transferable: boolean;
  deviceBound: boolean;
  maxDevices: string;
  maxDescendants: string;
  parentId: string;
  email: string;
  deliver: boolean;
  ownerAccount: string;
  ownerProfile: string;
  s3ConfigPath: string;
}

/** Whether an invitation may invite unless the administrator says otherwise. */
export const canInviteByDefault = (mode: CreateMode, type: InvitationType): boolean =>
  mode === 'create' && type === 'admin';

export function initialForm(mode: CreateMode, parentId = ''): CreateForm {
  const type: InvitationType = 'read_only';
  return {
    name: '',
    type,
    validDays: '',
    canInvite: canInviteByDefault(mode, type),
    canInviteChosen: false,
    transferable: false,
    deviceBound: true,
    maxDevices: String(LIMITS.maxDevices.default),
    maxDescendants: '',
    parentId,
    email: '',
    deliver: false,
    ownerAccount: '',
    ownerProfile: '',
    s3ConfigPath: '',
  };
}

/** The form after a change of `type`: an invitation whose ability to invite nobody chose follows the default. */
export function withType(form: CreateForm, mode: CreateMode, type: InvitationType): CreateForm {
  return { ...form, type, canInvite: form.canInviteChosen ? form.canInvite : canInviteByDefault(mode, type) };
}

const text = (value: string): string | undefined => value.trim() || undefined;
/** A number as typed; the registry names the field when it is not a whole number in range. */
const number = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

export function createBody(form: CreateForm): CreateInvitationBody {
  const email = text(form.email);
  return {
    name: form.name,
    type: form.type,
    validDays: number(form.validDays),
    canInvite: form.canInvite,
    transferable: form.transferable,
    deviceBound: form.deviceBound,
    maxDevices: number(form.maxDevices),
    maxDescendants: number(form.maxDescendants),
    parentId: text(form.parentId),
    email,
    deliver: email !== undefined && form.deliver ? true : undefined,
    ownerAccount: text(form.ownerAccount),
    ownerProfile: text(form.ownerProfile),
    s3ConfigPath: text(form.s3ConfigPath),
  };
}
