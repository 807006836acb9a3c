import { awaitsExpiryMark, effectiveStatus } from '../../../../lambdas/domain/invitation';
import { NOW, invitation } from '../../../support/invitations';

describe('expiry (SPEC §1.1, §3.6)', () => {
  const expired = { expiresAt: '2026-11-20T00:00:00Z' };

  test('the cleanup marks an expired active or suspended invitation once, and never a revoked one', () => {
    expect(awaitsExpiryMark(invitation(expired))).toBe(true);
    expect(awaitsExpiryMark(invitation({ ...expired, status: 'suspended' }))).toBe(true);
    expect(awaitsExpiryMark(invitation({ ...expired, expiredMarkedAt: '2026-12-01T02:00:00Z' }))).toBe(false);
    expect(awaitsExpiryMark(invitation({ ...expired, status: 'revoked' }))).toBe(false);
  });

  test('a marked invitation keeps its stored status and is reported expired', () => {
    const marked = invitation({ ...expired, status: 'suspended', expiredMarkedAt: '2026-12-01T02:00:00Z' });
    expect(marked.status).toBe('suspended');
    expect(effectiveStatus(marked, NOW)).toBe('expired');
  });
});
