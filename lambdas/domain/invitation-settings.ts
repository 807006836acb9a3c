import type { InvitationSettings } from './invitation';

/** How a CSV cell writes a value: as text (kept from opening as a formula), as a number, or as yes/no. */
export type CellFormat = 'text' | 'number' | 'yesNo';

/** Where one of an invitation's settings goes, besides the views (which show each under its own name). */
interface SettingUse {
  /** Its column in batch results and invitation exports (docs/SPEC.md §2.2), and how its cell is written. */
  readonly column?: { readonly name: string; readonly cell: CellFormat };
  /** Its key in the encoded invitation (docs/SPEC.md §1.2); `blank`: written as `''` when the invitation has none. */
  readonly payload?: { readonly key: string; readonly blank?: true };
  /** Carried into the profile an accepted invitation sets up (`POST /accept`). */
  readonly profile?: true;
  /** Recorded in the `invitation.created` audit event. */
  readonly audited?: true;
}

/**
 * Every setting of an invitation and where it goes: the one list the CSV columns, the accepted profile, the
 * creation event and the encoded invitation are derived from. Its order is the order of the CSV columns and of
 * the profile; the encoded invitation has its own canonical key order (`domain/encoding.ts`).
 */
export const INVITATION_SETTINGS = {
  name: { column: { name: 'Name', cell: 'text' }, payload: { key: 'name' }, profile: true, audited: true },
  type: { column: { name: 'Type', cell: 'text' }, payload: { key: 'type' }, profile: true, audited: true },
  validDays: { column: { name: 'Valid Days', cell: 'number' }, audited: true },
  ownerAccount: { payload: { key: 'owner_account', blank: true }, profile: true },
  ownerProfile: { payload: { key: 'owner_profile', blank: true }, profile: true },
  s3ConfigPath: { payload: { key: 's3_config_path', blank: true }, profile: true },
  policyRestrictions: { payload: { key: 'policy_restrictions' }, profile: true },
  expiresAt: { payload: { key: 'expires' }, profile: true },
  canInvite: {
    column: { name: 'Can Invite', cell: 'yesNo' },
    payload: { key: 'can_invite' },
    profile: true,
    audited: true,
  },
  transferable: {
    column: { name: 'Transferable', cell: 'yesNo' },
    payload: { key: 'transferable' },
    profile: true,
    audited: true,
  },
  deviceBound: {
    column: { name: 'Device Bound', cell: 'yesNo' },
    payload: { key: 'device_bound' },
    profile: true,
    audited: true,
  },
  maxDevices: {
    column: { name: 'Max Devices', cell: 'number' },
    payload: { key: 'max_devices' },
    profile: true,
    audited: true,
  },
  maxDescendants: { audited: true },
  createdAt: { payload: { key: 'created' } },
  parentId: { payload: { key: 'parent_token', blank: true }, audited: true },
  ancestors: {},
  // Personal data: its `Email` column follows the fixed ones (`domain/csv/results.ts`); no payload, profile or event.
  email: {},
} as const satisfies Record<keyof InvitationSettings, SettingUse>;

type Settings = typeof INVITATION_SETTINGS;

/** The settings that have `use`, e.g. `SettingsWith<'column'>`. */
export type SettingsWith<U extends keyof SettingUse> = {
  [K in keyof Settings]: Settings[K] extends Record<U, unknown> ? K : never;
}[keyof Settings];

const settingsWith = <U extends keyof SettingUse>(use: U): readonly SettingsWith<U>[] =>
  (Object.keys(INVITATION_SETTINGS) as (keyof Settings)[]).filter(
    (setting): setting is SettingsWith<U> => use in INVITATION_SETTINGS[setting],
  );

/** The settings with a CSV column, in column order. */
export const COLUMN_SETTINGS = settingsWith('column');
/** The settings an accepted invitation's profile carries, in the order it lists them. */
export const PROFILE_SETTINGS = settingsWith('profile');
/** The settings the `invitation.created` event records. */
export const AUDITED_SETTINGS = settingsWith('audited');
/** The settings the encoded invitation carries. */
export const ENCODED_SETTINGS = settingsWith('payload');

/** The CSV column names of the settings. */
export type SettingColumn = Settings[SettingsWith<'column'>]['column']['name'];
/** The encoded invitation's keys that carry settings. */
export type SettingPayloadKey = Settings[SettingsWith<'payload'>]['payload']['key'];

/** Those of `settings` that `names` lists and that are set, in the order `names` gives. */
export function pickSettings<K extends keyof InvitationSettings>(
  settings: InvitationSettings,
  names: readonly K[],
): Pick<InvitationSettings, K> {
  const picked: Partial<Pick<InvitationSettings, K>> = {};
  for (const name of names) {
    if (settings[name] !== undefined) picked[name] = settings[name];
  }
  return picked as Pick<InvitationSettings, K>;
}
