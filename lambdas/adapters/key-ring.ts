import { readFile } from 'node:fs/promises';
import { config } from '../config';
import { type KeyRing, parseKeyRing } from '../domain/keys';
import { secrets } from './clients';

const REFRESH_MS = 5 * 60_000;
let cached: { ring: Promise<KeyRing>; loadedAt: number } | undefined;

/**
 * The HMAC key ring: from Secrets Manager in AWS, from the generated key file in the embedded stack.
 * Cached for a few minutes so a key rotation reaches running functions without a redeploy.
 */
export function keyRing(): Promise<KeyRing> {
  if (!cached || Date.now() - cached.loadedAt > REFRESH_MS) {
    const ring = load();
    cached = { ring, loadedAt: Date.now() };
    ring.catch(() => (cached = undefined));
  }
  return cached.ring;
}

async function load(): Promise<KeyRing> {
  const file = config.keysFile();
  if (file) return parseKeyRing(await readFile(file, 'utf8'));
  const secretId = config.keysSecretArn();
  if (!secretId) throw new Error('No key ring configured (set a keys secret or a keys file)');
  const { SecretString } = await secrets().call<{ SecretString?: string }>('GetSecretValue', { SecretId: secretId });
  if (!SecretString) throw new Error('The key ring secret is empty');
  return parseKeyRing(SecretString);
}
