import { parseKeyRing, subKey } from '../../../../lambdas/domain/keys';

describe('key ring', () => {
  test('parses the secret layout and keeps older keys for rotation', () => {
    const ring = parseKeyRing(JSON.stringify({ currentKid: 'k2', k1: 'x'.repeat(40), k2: 'y'.repeat(40) }));
    expect(ring.currentKid).toBe('k2');
    expect([...ring.secrets.keys()].sort()).toEqual(['k1', 'k2']);
  });

  test('token and signature keys differ for the same secret', () => {
    const ring = parseKeyRing(JSON.stringify({ currentKid: 'k1', k1: 'x'.repeat(40) }));
    expect(subKey(ring, 'k1', 'token')!.equals(subKey(ring, 'k1', 'signature')!)).toBe(false);
    expect(subKey(ring, 'k9', 'token')).toBeUndefined();
  });

  test.each([
    ['not JSON', 'nope', 'not valid JSON'],
    ['no currentKid', JSON.stringify({ k1: 'x'.repeat(40) }), 'currentKid'],
    ['a missing current key', JSON.stringify({ currentKid: 'k2', k1: 'x'.repeat(40) }), 'k2'],
    ['a short secret', JSON.stringify({ currentKid: 'k1', k1: 'short' }), '32+'],
  ])('refuses %s', (_label, json, message) => {
    expect(() => parseKeyRing(json)).toThrow(message);
  });
});
