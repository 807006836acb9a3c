import { parseKeyRing } from '../../../../lambdas/domain/keys';
import { newWebhookSecret, openSecret, sealSecret } from '../../../../lambdas/domain/webhook-secret';

const ring = (currentKid: string) =>
  parseKeyRing(JSON.stringify({ currentKid, k1: 'x'.repeat(40), k2: 'y'.repeat(40) }));

describe('webhook signing secrets', () => {
  test('are Standard Webhooks secrets: whsec_ and the base64 of 32 random bytes, never twice the same', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  test('are stored sealed: the seal names its key and holds no trace of the secret', () => {
    const secret = newWebhookSecret();
    const sealed = sealSecret(ring('k1'), secret);
    expect(sealed.kid).toBe('k1');
    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6, 20));
    expect(openSecret(ring('k1'), sealed)).toBe(secret);
  });

  test('a key rotation leaves endpoints sealed under the older key readable', () => {
    const secret = newWebhookSecret();
    const sealed = sealSecret(ring('k1'), secret);
    expect(openSecret(ring('k2'), sealed)).toBe(secret);
    expect(sealSecret(ring('k2'), secret).kid).toBe('k2');
  });

  test('an altered seal, or one whose key left the ring, does not open', () => {
    const sealed = sealSecret(ring('k1'), newWebhookSecret());
    const data = Buffer.from(sealed.data, 'base64');
    data[0]! ^= 1;
    expect(() => openSecret(ring('k1'), { ...sealed, data: data.toString('base64') })).toThrow();
    const other = parseKeyRing(JSON.stringify({ currentKid: 'k1', k1: 'z'.repeat(40) }));
    expect(() => openSecret(other, sealed)).toThrow();
    expect(() => openSecret(other, { ...sealed, kid: 'k9' })).toThrow('No key k9');
  });
});
