import { createHmac } from 'node:crypto';

/**
 * The registry's secret key material: `{"currentKid": "k1", "k1": "<secret>", "k2": ...}`.
 * New tokens and signatures use `currentKid`; older key ids stay readable so rotation breaks nothing.
 */
export interface KeyRing {
  currentKid: string;
  secrets: ReadonlyMap<string, Buffer>;
}

export type KeyPurpose = 'token' | 'signature';

export function parseKeyRing(json: string): KeyRing {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new Error('Key material is not valid JSON');
  }
  if (typeof document !== 'object' || document === null) throw new Error('Key material must be a JSON object');
  const { currentKid, ...rest } = document as Record<string, unknown>;
  if (typeof currentKid !== 'string') throw new Error('Key material has no currentKid');
  const secrets = new Map<string, Buffer>();
  for (const [kid, secret] of Object.entries(rest)) {
    if (typeof secret !== 'string' || secret.length < 32)
      throw new Error(`Key ${kid} must be a string of 32+ characters`);
    secrets.set(kid, Buffer.from(secret, 'utf8'));
  }
  if (!secrets.has(currentKid)) throw new Error(`Key material has no key for currentKid ${currentKid}`);
  return { currentKid, secrets };
}

/** A purpose-specific key, so a token key can never be used as a signature key or the reverse. */
export function subKey(ring: KeyRing, kid: string, purpose: KeyPurpose): Buffer | undefined {
  const secret = ring.secrets.get(kid);
  return secret && createHmac('sha256', secret).update(`prism-registry/${purpose}`).digest();
}
