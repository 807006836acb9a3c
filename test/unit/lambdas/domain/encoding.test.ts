import { RegistryError } from '../../../../lambdas/domain/errors';
import { canonicalJson, decodeInvitation, encodeInvitation } from '../../../../lambdas/domain/encoding';
import { deriveToken } from '../../../../lambdas/domain/tokens';
import { invitation, testKeyRing } from '../../../support/invitations';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('the encoded invitation (SPEC §1.2)', () => {
  const ring = testKeyRing();
  const child = invitation({
    id: '01JCHILD',
    name: 'Engineering-Admin',
    parentId: '01JPARENT',
    ownerAccount: '123456789012',
    ownerProfile: 'research',
    s3ConfigPath: 's3://university/cs101/config',
    policyRestrictions: { templateWhitelist: ['python-ml'], maxHourlyCost: 2.5 },
  });
  const token = deriveToken(ring, 'k1', child.id, 1);
  const encoded = encodeInvitation(child, token, ring, 'https://api.example.org/v1/registry');
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));

  test('is unpadded base64url of JSON with the reference client keys', () => {
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const key of [
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
    ]) {
      expect(payload).toHaveProperty(key);
    }
    expect(payload).toMatchObject({
      token,
      type: 'admin',
      name: 'Engineering-Admin',
      can_invite: true,
      device_bound: true,
      max_devices: 3,
      policy_restrictions: { template_whitelist: ['python-ml'], max_hourly_cost: 2.5 },
      id: '01JCHILD',
      registry_api: 'https://api.example.org/v1/registry',
      kid: 'k1',
    });
    expect(payload.created).toMatch(RFC3339);
    expect(payload.expires).toMatch(RFC3339);
    expect(payload.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("parent_token carries the parent's id, never a secret token", () => {
    expect(payload.parent_token).toBe('01JPARENT');
    expect(payload.parent_token).not.toMatch(/^inv-/);
  });

  test('decodes and verifies', () => {
    expect(decodeInvitation(encoded, ring)).toEqual(payload);
  });

  test('any single changed character is refused as tampered', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let refused = 0;
    for (let position = 0; position < encoded.length; position += 7) {
      const original = encoded[position]!;
      const replacement = alphabet[(alphabet.indexOf(original) + 1) % alphabet.length]!;
      const altered = encoded.slice(0, position) + replacement + encoded.slice(position + 1);
      expect(() => decodeInvitation(altered, ring)).toThrow(RegistryError);
      refused++;
    }
    expect(refused).toBeGreaterThan(50);
  });

  test.each([
    ['truncated', (e: string) => e.slice(0, e.length - 10)],
    ['padded base64', (e: string) => `${e}==`],
    ['not base64', () => 'not an invitation!'],
    [
      'JSON without a signature',
      () => Buffer.from(JSON.stringify({ ...payload, signature: undefined })).toString('base64url'),
    ],
    [
      'a raised max_devices, re-encoded',
      () => Buffer.from(JSON.stringify({ ...payload, max_devices: 5 })).toString('base64url'),
    ],
    ['an unknown key id', () => Buffer.from(JSON.stringify({ ...payload, kid: 'k7' })).toString('base64url')],
  ])('%s is refused with tampered_invitation', (_label, alter) => {
    expect(() => decodeInvitation(alter(encoded), ring)).toThrow(
      expect.objectContaining({ code: 'tampered_invitation', status: 400 }),
    );
  });

  test('a signature made with another key is refused', () => {
    const forged = encodeInvitation(child, token, testKeyRing('an-attacker-secret-that-is-long-enough-000'));
    expect(() => decodeInvitation(forged, ring)).toThrow(expect.objectContaining({ code: 'tampered_invitation' }));
  });

  describe('only the form the registry wrote is accepted', () => {
    const reencoded = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const json = Buffer.from(encoded, 'base64url').toString('utf8');

    test('whitespace around a pasted invitation is not part of it', () => {
      expect(decodeInvitation(`  ${encoded}\n`, ring)).toEqual(payload);
    });

    test('every other spelling of the last base64 character is refused', () => {
      // The last character of unpadded base64url holds 2 or 4 data bits when the length is not a multiple of 4.
      const names = ['N', 'Na', 'Nam'].map((name) => encodeInvitation({ ...child, name }, token, ring));
      const written = names.find((candidate) => candidate.length % 4 === 2)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(written.at(-1)!);
      // Four unused bits: the 15 other characters sharing the top 2 bits decode to the same bytes.
      const twins = Array.from({ length: 16 }, (_, low) => (last & 0b110000) | low)
        .filter((index) => index !== last)
        .map((index) => written.slice(0, -1) + alphabet[index]);
      expect(twins).toHaveLength(15);
      expect(decodeInvitation(written, ring).signature).toBeDefined();
      for (const twin of twins) {
        expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(written, 'base64url'));
        expect(() => decodeInvitation(twin, ring)).toThrow(
          expect.objectContaining({ code: 'tampered_invitation', message: expect.stringContaining('canonical') }),
        );
      }
    });

    test.each([
      ['spaced JSON', () => JSON.stringify(JSON.parse(json), null, 1)],
      ['keys in another order', () => JSON.stringify(Object.fromEntries(Object.entries(payload).reverse()))],
      ['a number spelled 3.0', () => json.replace('"max_devices":3', '"max_devices":3.0')],
      ['an escaped character', () => json.replace('"name":"E', '"name":"\\u0045')],
    ])('the same signed payload as %s is refused', (_label, respell) => {
      const text = respell();
      expect(text).not.toBe(json);
      expect(JSON.parse(text)).toEqual(payload);
      expect(() => decodeInvitation(reencoded(text), ring)).toThrow(
        expect.objectContaining({ code: 'tampered_invitation', message: expect.stringContaining('canonical') }),
      );
    });

    test('bytes that are not UTF-8 are refused', () => {
      const bytes = Buffer.concat([Buffer.from(json.slice(0, -1)), Buffer.from([0xff]), Buffer.from('}')]);
      expect(() => decodeInvitation(bytes.toString('base64url'), ring)).toThrow(
        expect.objectContaining({ code: 'tampered_invitation' }),
      );
    });
  });

  test('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});
