import { type Device, lastSeenDue, planRegistration, validateDevice } from '../../../../lambdas/domain/device';
import { NOW, invitation } from '../../../support/invitations';

const device = (overrides: Partial<Device> = {}): Device => ({
  invitationId: '01JTESTPARENT0000000000000',
  deviceId: 'device-abc',
  hostname: 'laptop',
  username: 'alice',
  status: 'active',
  registeredAt: '2026-11-20T00:00:00Z',
  lastSeenAt: '2026-11-20T00:00:00Z',
  ...overrides,
});

describe('device registration rules (SPEC §3.4)', () => {
  test('a new device under the cap registers', () => {
    expect(planRegistration(invitation({ activeDevices: 2 }), [], undefined, { username: 'alice' }, NOW)).toBe(
      'register',
    );
  });

  test('at the cap a new device is refused: Maximum devices reached', () => {
    expect(() => planRegistration(invitation({ activeDevices: 3 }), [], undefined, { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ status: 409, code: 'max_devices_reached', message: 'Maximum devices reached' }),
    );
  });

  test('an already active device registering again is idempotent, even at the cap', () => {
    expect(planRegistration(invitation({ activeDevices: 3 }), [], device(), { username: 'alice' }, NOW)).toBe(
      'refresh',
    );
  });

  test('a revoked device id never returns: Device binding revoked', () => {
    expect(() => planRegistration(invitation(), [], device({ status: 'revoked' }), { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ code: 'device_revoked', message: 'Device binding revoked' }),
    );
  });

  test('a non-transferable invitation is bound to the first username', () => {
    const bound = invitation({ transferable: false, boundUsername: 'alice', activeDevices: 1 });
    expect(planRegistration(bound, [], undefined, { username: 'alice' }, NOW)).toBe('register');
    expect(() => planRegistration(bound, [], undefined, { username: 'mallory' }, NOW)).toThrow(
      expect.objectContaining({ code: 'not_transferable', message: 'Invitation is not transferable' }),
    );
  });

  test('a transferable invitation accepts other usernames', () => {
    const open = invitation({ transferable: true, boundUsername: 'alice', activeDevices: 1 });
    expect(planRegistration(open, [], undefined, { username: 'bob' }, NOW)).toBe('register');
  });

  test.each([
    ['expired', { expiresAt: '2026-11-21T07:59:59Z' }, 410, 'invitation_expired'],
    ['revoked', { status: 'revoked' as const }, 403, 'invitation_revoked'],
    ['suspended', { status: 'suspended' as const }, 403, 'invitation_suspended'],
  ])('an %s invitation accepts no device', (_label, overrides, status, code) => {
    expect(() => planRegistration(invitation(overrides), [], undefined, { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ status, code }),
    );
  });
});

describe('validation (SPEC §3.4)', () => {
  test('valid only for an active device of an active, unexpired invitation', () => {
    expect(validateDevice(invitation(), [], device(), NOW)).toEqual({ valid: true });
    expect(validateDevice(undefined, [], undefined, NOW)).toEqual({ valid: false, reason: 'unknown_token' });
    expect(validateDevice(invitation(), [], undefined, NOW)).toEqual({ valid: false, reason: 'unknown_device' });
    expect(validateDevice(invitation(), [], device({ status: 'revoked' }), NOW)).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    expect(validateDevice(invitation({ status: 'suspended' }), [], device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_suspended',
    });
    expect(validateDevice(invitation({ status: 'revoked' }), [], device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_revoked',
    });
    expect(validateDevice(invitation({ expiresAt: '2026-11-21T08:00:00Z' }), [], device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });
  });
});

describe('the subtree rule (SPEC §3.7)', () => {
  const ancestor = (id: string, overrides: Parameters<typeof invitation>[0] = {}) => ({
    id,
    invitation: invitation({ id, ...overrides }),
  });
  const parentId = '01JTESTDEPARTMENT000000000';
  const rootId = '01JTESTORGROOT000000000000';

  test.each([
    ['revoked', { status: 'revoked' as const }, 403, 'ancestor_revoked'],
    ['suspended', { status: 'suspended' as const }, 403, 'ancestor_suspended'],
    ['expired', { expiresAt: '2026-11-21T07:00:00Z' }, 410, 'ancestor_expired'],
  ])('a %s ancestor refuses a registration, naming it', (_label, overrides, status, code) => {
    const ancestors = [ancestor(parentId), ancestor(rootId, overrides)];
    expect(() => planRegistration(invitation(), ancestors, undefined, { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ status, code, details: expect.objectContaining({ ancestorId: rootId }) }),
    );
    expect(validateDevice(invitation(), ancestors, device(), NOW)).toEqual({
      valid: false,
      reason: code,
      ancestorId: rootId,
    });
  });

  test('an already registered device is refused too: refreshing is a use', () => {
    const ancestors = [ancestor(parentId, { status: 'revoked' })];
    expect(() => planRegistration(invitation(), ancestors, device(), { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ code: 'ancestor_revoked' }),
    );
  });

  test('the widest cause is named: the revoked root before a suspended parent', () => {
    const ancestors = [ancestor(parentId, { status: 'suspended' }), ancestor(rootId, { status: 'revoked' })];
    expect(validateDevice(invitation(), ancestors, device(), NOW)).toMatchObject({
      reason: 'ancestor_revoked',
      ancestorId: rootId,
    });
  });

  test('an ancestor whose record is gone counts as revoked; the invitation itself is judged first', () => {
    expect(validateDevice(invitation(), [{ id: rootId }], device(), NOW)).toMatchObject({ reason: 'ancestor_revoked' });
    expect(validateDevice(invitation({ status: 'suspended' }), [{ id: rootId }], device(), NOW)).toMatchObject({
      reason: 'invitation_suspended',
    });
  });

  test('usable ancestors change nothing', () => {
    const ancestors = [ancestor(parentId), ancestor(rootId)];
    expect(validateDevice(invitation(), ancestors, device(), NOW)).toEqual({ valid: true });
    expect(planRegistration(invitation(), ancestors, undefined, { username: 'alice' }, NOW)).toBe('register');
  });
});

describe('when a validation moves lastSeenAt', () => {
  const seen = '2026-11-21T08:00:00Z';
  const after = (seconds: number) => new Date(Date.parse(seen) + seconds * 1000);

  test.each([
    ['fresh, just seen', 0, false],
    ['fresh, a second short of the interval', 299, false],
    ['exactly the interval old', 300, true],
    ['stale, past the interval', 301, true],
  ])('%s: due %s', (_, elapsed, due) => {
    expect(lastSeenDue(seen, after(elapsed), 300)).toBe(due);
  });

  test('an interval of 0 moves it on every validation', () => {
    expect(lastSeenDue(seen, after(0), 0)).toBe(true);
  });
});
