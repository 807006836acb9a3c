import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalid } from './errors';
import { type KeyRing, subKey } from './keys';

const TOKEN_PATTERN = /^inv-[A-Za-z0-9_-]{43}$/;
/** What a device id may be, on every route and in every CSV: it appears in paths and query strings. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const DEVICE_ID_RULE = 'must be 1-128 letters, digits or . _ : -';

/**
 * `inv-` + unpadded base64url of HMAC-SHA256(token key, id:generation): 47 characters.
 * Derived, never stored: a copy of the database alone yields no usable token.
 */
export function deriveToken(ring: KeyRing, kid: string, invitationId: string, generation: number): string {
  const key = subKey(ring, kid, 'token');
  if (!key) throw new Error(`No key ${kid} in the key ring`);
  return `inv-${createHmac('sha256', key).update(`${invitationId}:${generation}`).digest('base64url')}`;
}

/** Lookup hash of a token. Tokens carry 256 bits of entropy, so a plain SHA-256 is enough. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const isWellFormedToken = (value: string): boolean => TOKEN_PATTERN.test(value);

/** A hint that identifies a token without revealing it: `inv-AbCd…wXyZ`. */
export const maskToken = (token: string): string => `${token.slice(0, 8)}…${token.slice(-4)}`;

export const newDeviceId = (): string => `device-${randomBytes(16).toString('base64url')}`;

export const isWellFormedDeviceId = (value: string): boolean => DEVICE_ID_PATTERN.test(value);

/** `value` when it is a well-formed device id, else a 400 naming `field`. */
export function wellFormedDeviceId(value: string, field: string): string {
  if (!isWellFormedDeviceId(value)) throw invalid(field, DEVICE_ID_RULE);
  return value;
}

/** Constant-time equality for secrets and signatures of any length. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
