import { type Device, planRegistration, validateDevice } from '../../lambdas/domain/device';
import { NOW, invitation } from '../support/invitations';

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
    expect(planRegistration(invitation({ activeDevices: 2 }), undefined, { username: 'alice' }, NOW)).toBe('register');
  });

  test('at the cap a new device is refused: Maximum devices reached', () => {
    expect(() => planRegistration(invitation({ activeDevices: 3 }), undefined, { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ status: 409, code: 'max_devices_reached', message: 'Maximum devices reached' }),
    );
  });

  test('an already active device registering again is idempotent, even at the cap', () => {
    expect(planRegistration(invitation({ activeDevices: 3 }), device(), { username: 'alice' }, NOW)).toBe('refresh');
  });

  test('a revoked device id never returns: Device binding revoked', () => {
    expect(() => planRegistration(invitation(), device({ status: 'revoked' }), { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ code: 'device_revoked', message: 'Device binding revoked' }),
    );
  });

  test('a non-transferable invitation is bound to the first username', () => {
    const bound = invitation({ transferable: false, boundUsername: 'alice', activeDevices: 1 });
    expect(planRegistration(bound, undefined, { username: 'alice' }, NOW)).toBe('register');
    expect(() => planRegistration(bound, undefined, { username: 'mallory' }, NOW)).toThrow(
      expect.objectContaining({ code: 'not_transferable', message: 'Invitation is not transferable' }),
    );
  });

  test('a transferable invitation accepts other usernames', () => {
    const open = invitation({ transferable: true, boundUsername: 'alice', activeDevices: 1 });
    expect(planRegistration(open, undefined, { username: 'bob' }, NOW)).toBe('register');
  });

  test.each([
    ['expired', { expiresAt: '2026-11-21T07:59:59Z' }, 410, 'invitation_expired'],
    ['revoked', { status: 'revoked' as const }, 403, 'invitation_revoked'],
    ['suspended', { status: 'suspended' as const }, 403, 'invitation_suspended'],
  ])('an %s invitation accepts no device', (_label, overrides, status, code) => {
    expect(() => planRegistration(invitation(overrides), undefined, { username: 'alice' }, NOW)).toThrow(
      expect.objectContaining({ status, code }),
    );
  });
});

describe('validation (SPEC §3.4)', () => {
  test('valid only for an active device of an active, unexpired invitation', () => {
    expect(validateDevice(invitation(), device(), NOW)).toEqual({ valid: true });
    expect(validateDevice(undefined, undefined, NOW)).toEqual({ valid: false, reason: 'unknown_token' });
    expect(validateDevice(invitation(), undefined, NOW)).toEqual({ valid: false, reason: 'unknown_device' });
    expect(validateDevice(invitation(), device({ status: 'revoked' }), NOW)).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    expect(validateDevice(invitation({ status: 'suspended' }), device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_suspended',
    });
    expect(validateDevice(invitation({ status: 'revoked' }), device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_revoked',
    });
    expect(validateDevice(invitation({ expiresAt: '2026-11-21T08:00:00Z' }), device(), NOW)).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });
  });
});
