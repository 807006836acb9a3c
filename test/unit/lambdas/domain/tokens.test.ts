import {
  deriveToken,
  hashToken,
  isWellFormedToken,
  maskToken,
  newDeviceId,
  secretsEqual,
} from '../../../../lambdas/domain/tokens';
import { testKeyRing } from '../../../support/invitations';

describe('tokens (SPEC §1.2)', () => {
  const ring = testKeyRing();

  test('a token is inv- plus 43 base64url characters (47 in all), derived deterministically', () => {
    const token = deriveToken(ring, 'k1', '01JABC', 1);
    expect(token).toMatch(/^inv-[A-Za-z0-9_-]{43}$/);
    expect(token).toHaveLength(47);
    expect(deriveToken(ring, 'k1', '01JABC', 1)).toBe(token);
    expect(isWellFormedToken(token)).toBe(true);
  });

  test('rotation (a new generation), another id or another key gives another token', () => {
    const token = deriveToken(ring, 'k1', '01JABC', 1);
    expect(deriveToken(ring, 'k1', '01JABC', 2)).not.toBe(token);
    expect(deriveToken(ring, 'k1', '01JABD', 1)).not.toBe(token);
    expect(deriveToken(testKeyRing('another-secret-that-is-long-enough-0987654321'), 'k1', '01JABC', 1)).not.toBe(
      token,
    );
  });

  test('an unknown key id is an error, not a silent fallback', () => {
    expect(() => deriveToken(ring, 'k9', '01JABC', 1)).toThrow('k9');
  });

  test('the lookup hash is hex SHA-256 and the hint reveals only the ends', () => {
    const token = deriveToken(ring, 'k1', '01JABC', 1);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(maskToken(token)).toBe(`${token.slice(0, 8)}…${token.slice(-4)}`);
  });

  test('malformed tokens are recognised as such', () => {
    for (const bad of [
      '',
      'inv-',
      'inv-abc',
      `inv-${'A'.repeat(44)}`,
      `xyz-${'A'.repeat(43)}`,
      `inv-${'A'.repeat(42)}!`,
    ]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  test('device ids are device- plus 22 base64url characters', () => {
    expect(newDeviceId()).toMatch(/^device-[A-Za-z0-9_-]{22}$/);
    expect(newDeviceId()).not.toBe(newDeviceId());
  });

  test('secret comparison is exact', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
