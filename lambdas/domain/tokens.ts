import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type KeyRing, subKey } from './keys';

const TOKEN_PATTERN = /^inv-[A-Za-z0-9_-]{43}$/;
const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

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

/** Constant-time equality for secrets and signatures of any length. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
