import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOCAL_REGION } from '../emulators/local-aws';
import type { LocalCredentials } from './paths';

/** The HMAC key ring the handlers read from `ENV.keysFile`: `{"currentKid": "k1", "k1": "<secret>"}`. */
export type KeyRing = { currentKid: string } & Record<string, string>;

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Shaped like IAM user keys: `AKIA` + 16 uppercase letters/digits, a 40-character secret. */
export function newLocalCredentials(): LocalCredentials {
  const suffix = Array.from({ length: 16 }, () => ACCESS_KEY_ALPHABET[randomInt(ACCESS_KEY_ALPHABET.length)]).join('');
  return { accessKeyId: `AKIA${suffix}`, secretAccessKey: randomBytes(30).toString('base64'), region: LOCAL_REGION };
}

export const newKeyRing = (): KeyRing => ({ currentKid: 'k1', k1: randomBytes(48).toString('base64url') });

const isLocalCredentials = (value: unknown): value is LocalCredentials =>
  typeof value === 'object' &&
  value !== null &&
  ['accessKeyId', 'secretAccessKey', 'region'].every(
    (field) => typeof (value as Record<string, unknown>)[field] === 'string',
  );

const isKeyRing = (value: unknown): value is KeyRing =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>).currentKid === 'string' &&
  typeof (value as Record<string, unknown>)[(value as KeyRing).currentKid] === 'string';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a secret JSON file, or creates it (mode 0600, exclusively, so two starts cannot both write one)
 * with `create()` when it does not exist yet.
 */
function loadOrCreateSecretFile<T>(path: string, create: () => T, isValid: (value: unknown) => value is T): T {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${JSON.stringify(create(), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const value = parseJson(readFileSync(path, 'utf8'));
  if (!isValid(value)) throw new Error(`${path} is not valid: delete it (or run \`npm run reset\`) to start over`);
  return value;
}

export const loadOrCreateLocalCredentials = (path: string): LocalCredentials =>
  loadOrCreateSecretFile(path, newLocalCredentials, isLocalCredentials);

export const loadOrCreateKeyRing = (path: string): KeyRing => loadOrCreateSecretFile(path, newKeyRing, isKeyRing);
