import { createHmac } from 'node:crypto';
import { errors } from './errors';
import type { Invitation, PolicyRestrictions } from './invitation';
import { ENCODED_SETTINGS, INVITATION_SETTINGS, type SettingPayloadKey } from './invitation-settings';
import { type KeyRing, subKey } from './keys';
import { secretsEqual } from './tokens';

/**
 * The encoded invitation a recipient pastes into `prism profiles accept-invitation --encoded`:
 * unpadded base64url of UTF-8 JSON with the reference client's snake_case keys, plus `id`,
 * `registry_api`, `kid` and `signature` (which that client ignores). `parent_token` carries the
 * parent's id, never its secret token.
 */
export interface EncodedPayload {
  token: string;
  owner_profile: string;
  owner_account: string;
  s3_config_path: string;
  type: string;
  name: string;
  created: string;
  expires: string;
  can_invite: boolean;
  transferable: boolean;
  device_bound: boolean;
  max_devices: number;
  parent_token: string;
  policy_restrictions?: EncodedPolicy;
  id: string;
  registry_api?: string;
  kid: string;
  signature?: string;
}

interface EncodedPolicy {
  template_whitelist?: string[];
  template_blacklist?: string[];
  max_instance_types?: string[];
  forbidden_regions?: string[];
  max_hourly_cost?: number;
  max_daily_budget?: number;
}

/** The order the keys are written in: an encoded invitation is accepted only as it was written. */
const PAYLOAD_KEYS = [
  'token',
  'owner_profile',
  'owner_account',
  's3_config_path',
  'type',
  'name',
  'created',
  'expires',
  'can_invite',
  'transferable',
  'device_bound',
  'max_devices',
  'parent_token',
  'policy_restrictions',
  'id',
  'registry_api',
  'kid',
  'signature',
] as const satisfies readonly (keyof EncodedPayload)[];

const POLICY_KEYS: Record<keyof PolicyRestrictions, keyof EncodedPolicy> = {
  templateWhitelist: 'template_whitelist',
  templateBlacklist: 'template_blacklist',
  maxInstanceTypes: 'max_instance_types',
  forbiddenRegions: 'forbidden_regions',
  maxHourlyCost: 'max_hourly_cost',
  maxDailyBudget: 'max_daily_budget',
};

export function encodeInvitation(invitation: Invitation, token: string, ring: KeyRing, registryApi?: string): string {
  const payload: EncodedPayload = {
    token,
    ...settingsPayload(invitation),
    id: invitation.id,
    ...(registryApi && { registry_api: registryApi }),
    kid: ring.currentKid,
  };
  payload.signature = sign(payload, ring, ring.currentKid);
  return Buffer.from(canonicalText(payload), 'utf8').toString('base64url');
}

/** The settings in the payload, each under its key (INVITATION_SETTINGS); an absent one `''` where it is `blank`. */
function settingsPayload(invitation: Invitation): Pick<EncodedPayload, SettingPayloadKey> {
  const payload: Record<string, unknown> = {};
  for (const setting of ENCODED_SETTINGS) {
    const field = INVITATION_SETTINGS[setting].payload;
    const value =
      setting === 'policyRestrictions'
        ? invitation.policyRestrictions && encodePolicy(invitation.policyRestrictions)
        : invitation[setting];
    if (value !== undefined) payload[field.key] = value;
    else if ('blank' in field) payload[field.key] = '';
  }
  return payload as Pick<EncodedPayload, SettingPayloadKey>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and verifies an encoded invitation. Anything malformed, truncated, forged or altered
 * is refused with `tampered_invitation`; nothing here touches the database. Only the exact string the
 * registry wrote is accepted (whitespace around it aside): no other base64 spelling of the same bytes (the
 * unused bits of the last character), and no other JSON spelling of the same payload (spacing, key order,
 * escapes, `1.0` for `1`). So one invitation has one encoded form.
 */
export function decodeInvitation(encoded: string, ring: KeyRing): EncodedPayload {
  const trimmed = encoded.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) throw errors.tampered('not unpadded base64url');
  const bytes = Buffer.from(trimmed, 'base64url');
  if (bytes.toString('base64url') !== trimmed) throw errors.tampered('not in canonical base64url');
  let text: string;
  let payload: unknown;
  try {
    text = strictUtf8.decode(bytes);
    payload = JSON.parse(text);
  } catch {
    throw errors.tampered('not a JSON invitation');
  }
  if (!isPayload(payload)) throw errors.tampered('required fields missing');
  const { signature } = payload;
  if (typeof signature !== 'string') throw errors.tampered('unsigned');
  const expected = sign(payload, ring, payload.kid);
  if (expected === undefined) throw errors.tampered(`unknown key id ${payload.kid}`);
  if (!secretsEqual(signature, expected)) throw errors.tampered('signature does not match');
  if (canonicalText(payload) !== text) throw errors.tampered('not in canonical form');
  return payload;
}

/** The payload's JSON as the registry writes it: its keys in PAYLOAD_KEYS order, no spacing. */
function canonicalText(payload: EncodedPayload): string {
  const ordered: Record<string, unknown> = {};
  for (const key of PAYLOAD_KEYS) {
    const value = key === 'policy_restrictions' ? payload[key] && orderedPolicy(payload[key]) : payload[key];
    if (value !== undefined) ordered[key] = value;
  }
  return JSON.stringify(ordered);
}

function orderedPolicy(policy: EncodedPolicy): EncodedPolicy {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.values(POLICY_KEYS)) {
    if (policy[key] !== undefined) ordered[key] = policy[key];
  }
  return ordered as EncodedPolicy;
}

function sign(payload: EncodedPayload, ring: KeyRing, kid: string): string | undefined {
  const key = subKey(ring, kid, 'signature');
  if (!key) return undefined;
  const { signature: _ignored, ...signed } = payload;
  return createHmac('sha256', key).update(canonicalJson(signed)).digest('base64url');
}

/** JSON with object keys sorted at every depth, so signer and verifier hash the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function encodePolicy(policy: PolicyRestrictions): EncodedPolicy {
  const encoded: Record<string, unknown> = {};
  for (const [camel, snake] of Object.entries(POLICY_KEYS)) {
    const value = policy[camel as keyof PolicyRestrictions];
    if (value !== undefined) encoded[snake] = value;
  }
  return encoded as EncodedPolicy;
}

function isPayload(value: unknown): value is EncodedPayload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.token === 'string' && typeof p.id === 'string' && typeof p.kid === 'string';
}
