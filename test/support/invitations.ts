import type { Invitation } from '../../lambdas/domain/invitation';
import { parseKeyRing } from '../../lambdas/domain/keys';

export const NOW = new Date('2026-11-21T08:00:00Z');

export const testKeyRing = (secret = 'a-test-secret-that-is-long-enough-1234567890') =>
  parseKeyRing(JSON.stringify({ currentKid: 'k1', k1: secret }));

/** A stored invitation with the defaults of docs/SPEC.md §1.1, for rules that take one as input. */
export function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: '01JTESTPARENT0000000000000',
    name: 'Org Admin',
    type: 'admin',
    status: 'active',
    validDays: 365,
    canInvite: true,
    transferable: false,
    deviceBound: true,
    maxDevices: 3,
    createdAt: '2026-11-01T00:00:00Z',
    expiresAt: '2027-11-01T00:00:00Z',
    createdBy: 'arn:aws:iam::000000000000:user/admin',
    activeDevices: 0,
    maxDescendants: 10_000,
    descendantsCreated: 0,
    tokenGeneration: 1,
    keyId: 'k1',
    tokenHint: 'inv-AbCd…wXyZ',
    tokenHash: 'f'.repeat(64),
    ...overrides,
  };
}
