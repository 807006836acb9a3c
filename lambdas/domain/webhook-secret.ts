import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyRing } from './keys';

/**
 * A webhook endpoint's signing secret (docs/SPEC.md §4.8): a Standard Webhooks secret, `whsec_` + base64 of random
 * bytes, shown once when the endpoint is created and stored only sealed: AES-256-GCM under a key derived from the
 * registry's key ring (HKDF-SHA256 with a label of its own, so no token or signature key is ever reused). The seal
 * names the key id it was made with, so a key rotation leaves older endpoints readable.
 */

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const HKDF_INFO = 'prism-registry/webhook-secret';
const IV_BYTES = 12;

export interface SealedSecret {
  kid: string;
  /** base64 of the 12-byte nonce, the ciphertext and the 16-byte GCM tag. */
  iv: string;
  data: string;
  tag: string;
}

export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;

function sealingKey(ring: KeyRing, kid: string): Buffer {
  const secret = ring.secrets.get(kid);
  if (!secret) throw new Error(`No key ${kid} in the key ring`);
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), HKDF_INFO, 32));
}

/** `secret` sealed with the ring's current key. */
export function sealSecret(ring: KeyRing, secret: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(ring, ring.currentKid), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return {
    kid: ring.currentKid,
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The secret a seal holds; throws when its key is gone from the ring or the seal was altered. */
export function openSecret(ring: KeyRing, sealed: SealedSecret): string {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(ring, sealed.kid), Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
