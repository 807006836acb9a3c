import type { AuditEvent } from '../../../../../lambdas/domain/audit';
import { addDays } from '../../../../../lambdas/domain/time';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import {
  type UnrecordedRefusal,
  registerWithToken,
  revokeAllDevices,
  revokeDevice,
} from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { memoryDeps } from '../../../../support/memory/deps';
import { newDevice as device } from '../../../../support/memory/registration';
import { AS_ADMIN, AS_RECIPIENT } from '../../../../support/origins';

/**
 * A registration refused for an invitation that exists is recorded as `device.refused` (docs/SPEC.md §4.5), on the
 * invitation, as its holder, with the code the caller is answered and the device id; never the token.
 */
const T0 = new Date('2026-11-21T08:00:00Z');
let deps = memoryDeps({ now: T0 });
beforeEach(() => {
  deps = memoryDeps({ now: T0 });
});

const issue = (request: Parameters<typeof issueInvitation>[1], parentToken?: string) =>
  issueInvitation(deps, { ...request, ...(parentToken && { parentToken }) }, { origin: AS_ADMIN }).then(
    ({ issued }) => issued,
  );

const registerWith = (token: string, request = device(), onUnrecorded?: UnrecordedRefusal) =>
  registerWithToken(deps, token, request, AS_RECIPIENT, onUnrecorded);

const refusals = async (): Promise<AuditEvent[]> =>
  (await deps.auditLog.list({ action: 'device.refused' }, 100)).events.reverse();

describe('refused registrations in the audit log', () => {
  test('one past the cap is recorded on the invitation, as its holder, with the reason and device id, never the token', async () => {
    const { invitation, token } = await issue({ name: 'one-seat', type: 'read_only', maxDevices: 1 });
    await registerWith(token);
    const second = device();
    await expect(registerWith(token, second)).rejects.toMatchObject({ status: 409, code: 'max_devices_reached' });
    const events = await refusals();
    expect(events).toEqual([
      {
        eventId: expect.any(String),
        at: '2026-11-21T08:00:00Z',
        actor: `invitation:${invitation.id}`,
        action: 'device.refused',
        targetId: invitation.id,
        details: { reason: 'max_devices_reached', deviceId: second.deviceId },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  test('a registration that lands appends nothing of its own, and a repeat of it neither', async () => {
    const { token } = await issue({ name: 'lands', type: 'read_only', maxDevices: 1 });
    const append = jest.spyOn(deps.auditLog, 'append');
    const laptop = device();
    await registerWith(token, laptop);
    await registerWith(token, laptop);
    expect(append).not.toHaveBeenCalled();
    expect(await refusals()).toEqual([]);
  });

  test.each([
    [
      'invitation_revoked',
      async (id: string) => {
        await revokeInvitation(deps, id, 'left', false, AS_ADMIN);
      },
    ],
    [
      'invitation_suspended',
      async (id: string) => {
        await revokeAllDevices(deps, id, undefined, true, AS_ADMIN);
      },
    ],
    [
      'invitation_expired',
      async () => {
        deps.clock.now = addDays(T0, 31);
      },
    ],
  ])('a registration refused as %s is recorded with that reason', async (reason, stop) => {
    const { invitation, token } = await issue({ name: 'stopped', type: 'read_only', maxDevices: 3 });
    await stop(invitation.id);
    const refused = device();
    await expect(registerWith(token, refused)).rejects.toMatchObject({ code: reason });
    expect((await refusals()).map(({ targetId, details }) => ({ targetId, details }))).toEqual([
      { targetId: invitation.id, details: { reason, deviceId: refused.deviceId } },
    ]);
  });

  test('a revoked device and another username on a personal invitation are recorded with their reasons', async () => {
    const { invitation, token } = await issue({ name: 'personal', type: 'read_only', maxDevices: 3 });
    const laptop = await registerWith(token, device('ana'));
    await revokeDevice(deps, invitation.id, laptop.deviceId, 'lost', AS_ADMIN);
    await expect(registerWith(token, { ...device('ana'), deviceId: laptop.deviceId })).rejects.toMatchObject({
      code: 'device_revoked',
    });
    const stranger = device('bo');
    await expect(registerWith(token, stranger)).rejects.toMatchObject({ code: 'not_transferable' });
    expect((await refusals()).map(({ details }) => details)).toEqual([
      { reason: 'device_revoked', deviceId: laptop.deviceId },
      { reason: 'not_transferable', deviceId: stranger.deviceId },
    ]);
  });

  test("an ancestor's refusal names the ancestor; the event is on the invitation registered with", async () => {
    const root = await issue({ name: 'Root', type: 'admin', deviceBound: false });
    const member = await issue({ name: 'Member', type: 'read_only' }, root.token);
    await revokeInvitation(deps, root.invitation.id, 'breach', false, AS_ADMIN);
    const refused = device();
    await expect(registerWith(member.token, refused)).rejects.toMatchObject({ code: 'ancestor_revoked' });
    expect((await refusals()).map(({ targetId, actor, details }) => ({ targetId, actor, details }))).toEqual([
      {
        targetId: member.invitation.id,
        actor: `invitation:${member.invitation.id}`,
        details: { reason: 'ancestor_revoked', deviceId: refused.deviceId, ancestorId: root.invitation.id },
      },
    ]);
  });

  test('an unknown, altered or malformed token records nothing: there is no invitation to record it on', async () => {
    const { token } = await issue({ name: 'real', type: 'read_only' });
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const before = deps.tables.audit.size;
    for (const guess of [altered, `inv-${'Q'.repeat(43)}`, 'not-a-token']) {
      await expect(registerWith(guess)).rejects.toMatchObject({ status: 401, code: 'unknown_token' });
    }
    expect(deps.tables.audit.size).toBe(before);
  });

  test('17 of 20 registrations racing past maxDevices 3 are refused, and each leaves exactly one event', async () => {
    const { invitation, token } = await issue({ name: 'cap', type: 'read_only', maxDevices: 3, transferable: true });
    const requests = Array.from({ length: 20 }, (_, n) => device(`user-${n}`));
    const hold = deps.tables.interleaving.hold('addDevice');
    const racing = requests.map((request) => registerWith(token, request));
    await hold.reached(20);
    hold.release();
    const outcomes = await Promise.allSettled(racing);
    const refusedIds = requests
      .filter((_, n) => outcomes[n]!.status === 'rejected')
      .map((request) => request.deviceId)
      .sort();
    expect(refusedIds).toHaveLength(17);
    const events = await refusals();
    expect(events.map(({ details }) => details.deviceId).sort()).toEqual(refusedIds);
    expect(new Set(events.map(({ eventId }) => eventId)).size).toBe(17);
    expect(
      events.every(({ targetId, details }) => targetId === invitation.id && details.reason === 'max_devices_reached'),
    ).toBe(true);
  });

  test('an event that cannot be written is reported without the token, and the caller still gets its refusal', async () => {
    const { invitation, token } = await issue({ name: 'one-seat', type: 'read_only', maxDevices: 1 });
    await registerWith(token);
    const failure = new Error('throttled');
    deps.auditLog.append = () => Promise.reject(failure);
    const reported: unknown[][] = [];
    await expect(registerWith(token, device(), (...report) => reported.push(report))).rejects.toMatchObject({
      status: 409,
      code: 'max_devices_reached',
    });
    expect(reported).toEqual([[failure, { invitationId: invitation.id, reason: 'max_devices_reached' }]]);
  });
});

describe('refused acceptances with a device', () => {
  test('are recorded as refused registrations; a refused one without a device is no registration and is not', async () => {
    const { invitation, encoded } = await issue({ name: 'Lab', type: 'read_only', maxDevices: 1 });
    await acceptInvitation(deps, { encoded, device: device() }, AS_RECIPIENT);
    const second = device();
    await expect(acceptInvitation(deps, { encoded, device: second }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'max_devices_reached',
    });
    await expect(acceptInvitation(deps, { encoded }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'device_required',
    });
    await revokeInvitation(deps, invitation.id, 'left', false, AS_ADMIN);
    const third = device();
    await expect(acceptInvitation(deps, { encoded, device: third }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'invitation_revoked',
    });
    expect((await refusals()).map(({ targetId, actor, details }) => ({ targetId, actor, details }))).toEqual([
      {
        targetId: invitation.id,
        actor: `invitation:${invitation.id}`,
        details: { reason: 'max_devices_reached', deviceId: second.deviceId },
      },
      {
        targetId: invitation.id,
        actor: `invitation:${invitation.id}`,
        details: { reason: 'invitation_revoked', deviceId: third.deviceId },
      },
    ]);
  });

  test('a device the registry names for the caller is the one recorded', async () => {
    const { encoded } = await issue({ name: 'Lab', type: 'read_only', maxDevices: 1 });
    await acceptInvitation(deps, { encoded, device: device() }, AS_RECIPIENT);
    const { deviceId: _none, ...unnamed } = device();
    await expect(acceptInvitation(deps, { encoded, device: unnamed }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'max_devices_reached',
    });
    expect((await refusals())[0]!.details.deviceId).toMatch(/^device-[A-Za-z0-9_-]{22}$/);
  });

  test('a tampered encoded invitation records nothing', async () => {
    const { encoded } = await issue({ name: 'tamper', type: 'read_only' });
    const altered = encoded.slice(0, 20) + (encoded[20] === 'A' ? 'B' : 'A') + encoded.slice(21);
    const before = deps.tables.audit.size;
    await expect(acceptInvitation(deps, { encoded: altered, device: device() }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'tampered_invitation',
    });
    expect(deps.tables.audit.size).toBe(before);
  });
});
