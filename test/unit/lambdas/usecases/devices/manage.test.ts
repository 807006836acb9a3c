import { hashToken } from '../../../../../lambdas/domain/tokens';
import { addDays } from '../../../../../lambdas/domain/time';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { revokeAllDevices, revokeDevice, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { memoryDeps } from '../../../../support/memory/deps';
import { newDevice as device, register } from '../../../../support/memory/registration';
import { ADMIN, AS_ADMIN, AS_RECIPIENT } from '../../../../support/origins';

const T0 = new Date('2026-11-21T08:00:00Z');
let deps = memoryDeps({ now: T0 });
beforeEach(() => {
  deps = memoryDeps({ now: T0 });
});

const issue = (request: Parameters<typeof issueInvitation>[1], idempotencyKey?: string) =>
  issueInvitation(deps, request, { origin: AS_ADMIN, idempotencyKey }).then(({ issued }) => issued);

describe('devices on in-memory ports', () => {
  test('a token-shaped name, hostname or reason is taken as it is; the audit log keeps only its hint', async () => {
    const tokenShaped = `inv-${'Z'.repeat(39)}wXyZ`;
    const { invitation } = await issue({ name: tokenShaped, type: 'read_only', transferable: true });
    expect(invitation.name).toBe(tokenShaped);
    const registered = await register(deps, invitation.id, { ...device(), hostname: tokenShaped });
    await revokeInvitation(deps, invitation.id, `leaked ${tokenShaped}`, false, AS_ADMIN);

    const events = [
      ...(await deps.auditLog.ofTarget(invitation.id)),
      ...(await deps.auditLog.ofTarget(registered.deviceId)),
    ];
    expect(events.map((event) => event.action)).toEqual([
      'invitation.created',
      'invitation.revoked',
      'device.registered',
    ]);
    expect(events[0]!.details.name).toBe('inv-ZZZZ…wXyZ');
    expect(events[1]!.details.reason).toBe('leaked inv-ZZZZ…wXyZ');
    expect(events[2]!.details.hostname).toBe('inv-ZZZZ…wXyZ');
    expect(JSON.stringify(events)).not.toContain(tokenShaped);
  });

  test('the token is not stored: only its hash finds the invitation', async () => {
    const { invitation, token } = await issue({ name: 'lab-access', type: 'admin' });
    const stored = await deps.store.getInvitation(invitation.id);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored!.value.tokenHash).toBe(hashToken(token));
    expect((await invitationForToken(deps, token))!.value.id).toBe(invitation.id);
  });

  test('20 registrations planned on the same state against maxDevices 3 leave exactly 3 active devices, every time', async () => {
    for (let round = 0; round < 3; round++) {
      const { invitation } = await issue({
        name: `cap-${round}`,
        type: 'read_only',
        maxDevices: 3,
        transferable: true,
      });
      const hold = deps.tables.interleaving.hold('addDevice');
      const racing = Array.from({ length: 20 }, (_, n) => register(deps, invitation.id, device(`user-${n}`)));
      // Every one of them has read the invitation with no device and is about to write.
      await hold.reached(20);
      hold.release();
      const outcomes = await Promise.allSettled(racing);
      const refused = outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => (o as PromiseRejectedResult).reason.code);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
      expect(refused).toEqual(Array(17).fill('max_devices_reached'));
      const devices = await deps.store.listDevices(invitation.id);
      expect(devices.filter((d) => d.status === 'active')).toHaveLength(3);
      expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(3);
    }
  });

  test('registering an active device again is idempotent and moves lastSeenAt', async () => {
    const { invitation } = await issue({ name: 'again', type: 'read_only', validDays: 3650 });
    const first = await register(deps, invitation.id, device());
    deps.clock.now = new Date('2026-11-22T08:00:00Z');
    const second = await register(deps, invitation.id, { ...device(), deviceId: first.deviceId });
    expect(second.registeredAt).toBe(first.registeredAt);
    expect(second.lastSeenAt).toBe('2026-11-22T08:00:00Z');
    expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(1);
  });

  test('a non-transferable invitation is bound to the first username, even under a race', async () => {
    const { invitation } = await issue({ name: 'personal', type: 'read_only', maxDevices: 5 });
    const hold = deps.tables.interleaving.hold('addDevice');
    const racing = ['alice', 'bob', 'carol', 'dave'].map((user) => register(deps, invitation.id, device(user)));
    await hold.reached(4);
    hold.release();
    const outcomes = await Promise.allSettled(racing);
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const bound = (await deps.store.getInvitation(invitation.id))!.value.boundUsername;
    expect(bound).toBe((winners[0] as PromiseFulfilledResult<{ username: string }>).value.username);
    await expect(register(deps, invitation.id, device('eve'))).rejects.toMatchObject({ code: 'not_transferable' });
    await expect(register(deps, invitation.id, device(bound!))).resolves.toMatchObject({ status: 'active' });
  });

  test('a revoked device never returns, and frees its place for another', async () => {
    const { invitation, token } = await issue({ name: 'one-seat', type: 'read_only', maxDevices: 1 });
    const laptop = await register(deps, invitation.id, device());
    await expect(register(deps, invitation.id, device())).rejects.toMatchObject({
      message: 'Maximum devices reached',
    });
    const revoked = await revokeDevice(deps, invitation.id, laptop.deviceId, 'lost', AS_ADMIN);
    expect(revoked.alreadyRevoked).toBe(false);
    expect(revoked.device).toMatchObject({ status: 'revoked', revokedBy: ADMIN, revokeReason: 'lost' });
    expect(await validateRegistration(deps, token, laptop.deviceId)).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    await expect(register(deps, invitation.id, { ...device(), deviceId: laptop.deviceId })).rejects.toMatchObject({
      message: 'Device binding revoked',
    });
    await expect(register(deps, invitation.id, device())).resolves.toMatchObject({ status: 'active' });
    const again = await revokeDevice(deps, invitation.id, laptop.deviceId, 'a second report', AS_ADMIN);
    expect(again).toEqual({ device: revoked.device, alreadyRevoked: true });
  });

  test('a device revocation planned before a registration lands re-plans: the new device stays, counted', async () => {
    const { invitation } = await issue({ name: 'two-seats', type: 'read_only', maxDevices: 2, transferable: true });
    const laptop = await register(deps, invitation.id, device());
    const hold = deps.tables.interleaving.hold('revokeDevices');
    const revoking = revokeDevice(deps, invitation.id, laptop.deviceId, 'lost', AS_ADMIN);
    await hold.reached();
    const phone = await register(deps, invitation.id, device());
    hold.release();
    await expect(revoking).resolves.toMatchObject({ alreadyRevoked: false });
    expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(1);
    expect(await deps.store.getDevice(invitation.id, phone.deviceId)).toMatchObject({ status: 'active' });
    expect(deps.tables.commits.filter((write) => write === 'revokeDevices')).toHaveLength(1);
  });

  test('administrator revoke-all suspends until rotation; rotation kills the old token at once', async () => {
    const { invitation, token } = await issue({ name: 'breach', type: 'read_write', maxDevices: 3 });
    const devices = [await register(deps, invitation.id, device()), await register(deps, invitation.id, device())];
    const { invitation: suspended, revoked } = await revokeAllDevices(deps, invitation.id, undefined, true, AS_ADMIN);
    expect(suspended).toMatchObject({ status: 'suspended', activeDevices: 0, revokedBy: ADMIN });
    expect(revoked.map((d) => d.status)).toEqual(['revoked', 'revoked']);
    for (const d of devices) expect((await validateRegistration(deps, token, d.deviceId)).valid).toBe(false);
    await expect(register(deps, invitation.id, device())).rejects.toMatchObject({ code: 'invitation_suspended' });

    const rotated = await rotateInvitation(deps, invitation.id, AS_ADMIN);
    expect(rotated.token).not.toBe(token);
    expect(rotated.invitation.status).toBe('active');
    expect(await invitationForToken(deps, token)).toBeUndefined();
    expect((await invitationForToken(deps, rotated.token))!.value.id).toBe(invitation.id);
    await expect(register(deps, invitation.id, { ...device(), deviceId: devices[0]!.deviceId })).rejects.toMatchObject({
      code: 'device_revoked',
    });
    await expect(register(deps, invitation.id, device())).resolves.toMatchObject({ status: 'active' });
  });

  test('a recipient revoking all its devices does not suspend', async () => {
    const { invitation } = await issue({ name: 'self-service', type: 'read_only', maxDevices: 2 });
    await register(deps, invitation.id, device());
    const { invitation: after, revoked } = await revokeAllDevices(deps, invitation.id, undefined, false, {
      actor: `invitation:${invitation.id}`,
    });
    expect(revoked).toHaveLength(1);
    expect(after.status).toBe('active');
    await expect(register(deps, invitation.id, device())).resolves.toMatchObject({ status: 'active' });
  });

  test('an expired invitation can neither be accepted nor validate, whatever is stored', async () => {
    const { invitation, token, encoded } = await issue({ name: 'short', type: 'read_only', validDays: 1 });
    const registered = await register(deps, invitation.id, device());
    deps.clock.now = addDays(T0, 2);
    expect(await validateRegistration(deps, token, registered.deviceId)).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });
    await expect(acceptInvitation(deps, { encoded, device: device() }, AS_RECIPIENT)).rejects.toMatchObject({
      status: 410,
    });
  });

  test('a tampered encoded invitation is refused without any write', async () => {
    const { invitation, encoded } = await issue({ name: 'tamper', type: 'read_only', deviceBound: false });
    const altered = encoded.slice(0, 20) + (encoded[20] === 'A' ? 'B' : 'A') + encoded.slice(21);
    const before = await deps.store.getInvitation(invitation.id);
    const writes = deps.tables.commits.length;
    await expect(acceptInvitation(deps, { encoded: altered, device: device() }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'tampered_invitation',
    });
    expect(await deps.store.getInvitation(invitation.id)).toEqual(before);
    expect(await deps.store.listDevices(invitation.id)).toEqual([]);
    expect(deps.tables.commits).toHaveLength(writes);
  });
});

describe('lastSeenAt on validation: written at most once per interval (default 300 s)', () => {
  const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

  async function registered() {
    const { invitation, token } = await issue({ name: 'checks-in', type: 'read_only', transferable: true });
    const { deviceId } = await register(deps, invitation.id, device());
    const lastSeen = async () => (await deps.store.getDevice(invitation.id, deviceId))!.lastSeenAt;
    const seenWrites = () => deps.tables.commits.filter((write) => write === 'recordSeen').length;
    return { token, deviceId, lastSeen, seenWrites };
  }

  test.each([
    ['fresh (just registered)', 0, '2026-11-21T08:00:00Z', 0],
    ['fresh (a second short of the interval)', 299, '2026-11-21T08:00:00Z', 0],
    ['exactly the interval old', 300, '2026-11-21T08:05:00Z', 1],
    ['stale', 3600, '2026-11-21T09:00:00Z', 1],
  ])('%s, %i s after it was seen: valid; lastSeenAt %s after %i writes', async (_, elapsed, expected, writes) => {
    const { token, deviceId, lastSeen, seenWrites } = await registered();
    deps.clock.now = seconds(elapsed);
    expect(await validateRegistration(deps, token, deviceId)).toEqual({ valid: true });
    expect(await lastSeen()).toBe(expected);
    expect(seenWrites()).toBe(writes);
  });

  test('validations within an interval of the last write write nothing more', async () => {
    const { token, deviceId, lastSeen, seenWrites } = await registered();
    for (const elapsed of [300, 301, 450, 599]) {
      deps.clock.now = seconds(elapsed);
      expect(await validateRegistration(deps, token, deviceId)).toEqual({ valid: true });
    }
    expect(await lastSeen()).toBe('2026-11-21T08:05:00Z');
    deps.clock.now = seconds(600);
    await validateRegistration(deps, token, deviceId);
    expect(await lastSeen()).toBe('2026-11-21T08:10:00Z');
    expect(seenWrites()).toBe(2);
  });

  test('the interval is a setting: 0 moves lastSeenAt on every validation', async () => {
    const { token, deviceId, lastSeen, seenWrites } = await registered();
    deps.lastSeenIntervalSeconds = 0;
    for (const elapsed of [1, 2]) {
      deps.clock.now = seconds(elapsed);
      await validateRegistration(deps, token, deviceId);
    }
    expect(await lastSeen()).toBe('2026-11-21T08:00:02Z');
    expect(seenWrites()).toBe(2);
  });

  test('racing validations of a stale device write lastSeenAt once, and every one is valid', async () => {
    const { token, deviceId, lastSeen, seenWrites } = await registered();
    deps.clock.now = seconds(300);
    const hold = deps.tables.interleaving.hold('recordSeen');
    const racing = Array.from({ length: 5 }, () => validateRegistration(deps, token, deviceId));
    await hold.reached(5);
    hold.release();
    expect(await Promise.all(racing)).toEqual(Array.from({ length: 5 }, () => ({ valid: true })));
    expect(seenWrites()).toBe(1);
    expect(await lastSeen()).toBe('2026-11-21T08:05:00Z');
  });

  test('a failed lastSeenAt write is reported, and the answer stays valid', async () => {
    const { token, deviceId, lastSeen } = await registered();
    deps.clock.now = seconds(300);
    const failure = new Error('throttled');
    deps.store.recordSeen = () => Promise.reject(failure);
    const reported: unknown[] = [];
    expect(await validateRegistration(deps, token, deviceId, (error) => reported.push(error))).toEqual({
      valid: true,
    });
    expect(reported).toEqual([failure]);
    expect(await lastSeen()).toBe('2026-11-21T08:00:00Z');
  });

  test('a device revoked between the read and the write is answered valid as read, and keeps its lastSeenAt', async () => {
    const { token, deviceId, lastSeen } = await registered();
    const invitationId = (await invitationForToken(deps, token))!.value.id;
    deps.clock.now = seconds(300);
    const hold = deps.tables.interleaving.hold('recordSeen');
    const validating = validateRegistration(deps, token, deviceId);
    await hold.reached();
    await revokeDevice(deps, invitationId, deviceId, 'lost', AS_ADMIN);
    hold.release();
    expect(await validating).toEqual({ valid: true });
    expect(await lastSeen()).toBe('2026-11-21T08:00:00Z');
    expect(await validateRegistration(deps, token, deviceId)).toEqual({ valid: false, reason: 'device_revoked' });
  });
});
