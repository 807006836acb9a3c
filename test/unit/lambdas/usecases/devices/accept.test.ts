import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { memoryDeps } from '../../../../support/memory/deps';
import { AS_ADMIN, AS_RECIPIENT } from '../../../../support/origins';

const T0 = new Date('2026-11-21T08:00:00Z');
let deps = memoryDeps({ now: T0 });
beforeEach(() => {
  deps = memoryDeps({ now: T0 });
});

const issue = (request: Parameters<typeof issueInvitation>[1]) =>
  issueInvitation(deps, request, { origin: AS_ADMIN }).then(({ issued }) => issued);

describe('accepting an invitation on in-memory ports', () => {
  test('hands out the profile, registers the device and records the acceptance with its event', async () => {
    const { invitation, encoded } = await issue({ name: 'Lab', type: 'read_write', maxDevices: 2 });
    const device = { deviceId: 'device-lab', hostname: 'laptop', username: 'ana' };
    const accepted = await acceptInvitation(deps, { encoded, name: 'my-lab', device }, AS_RECIPIENT);
    expect(accepted).toMatchObject({
      invitation: {
        id: invitation.id,
        type: 'read_write',
        deviceBound: true,
        maxDevices: 2,
        expiresAt: invitation.expiresAt,
      },
      profileName: 'my-lab',
      device: { deviceId: 'device-lab', status: 'active' },
    });
    expect([...deps.tables.acceptances.get(invitation.id)!.values()]).toEqual([
      {
        invitationId: invitation.id,
        acceptedAt: '2026-11-21T08:00:00Z',
        profileName: 'my-lab',
        deviceId: 'device-lab',
        username: 'ana',
        hostname: 'laptop',
      },
    ]);
    const events = await deps.auditLog.ofTarget(invitation.id);
    expect(events.map((event) => [event.action, event.actor])).toEqual([
      ['invitation.created', AS_ADMIN.actor],
      ['invitation.accepted', `invitation:${invitation.id}`],
    ]);
    expect(events[1]!.details).toEqual({ profileName: 'my-lab', deviceId: 'device-lab' });
  });

  test('a device-bound invitation is not accepted without a device; an unbound one is, registering none', async () => {
    const bound = await issue({ name: 'Bound', type: 'read_only' });
    await expect(acceptInvitation(deps, { encoded: bound.encoded }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'device_required',
    });
    expect(deps.tables.acceptances.get(bound.invitation.id)).toBeUndefined();
    const unbound = await issue({ name: 'Unbound', type: 'read_only', deviceBound: false });
    const accepted = await acceptInvitation(deps, { encoded: unbound.encoded }, AS_RECIPIENT);
    expect(accepted.device).toBeUndefined();
    expect(accepted.profileName).toBe('Unbound');
    expect(await deps.store.listDevices(unbound.invitation.id)).toEqual([]);
  });

  test('a device and its acceptance are one write; accepting again with it refreshes it in one write too', async () => {
    const { invitation, encoded } = await issue({ name: 'Once', type: 'read_write', maxDevices: 2 });
    const device = { deviceId: 'device-once', hostname: 'laptop', username: 'ana' };
    const writesBefore = deps.tables.commits.length;
    await acceptInvitation(deps, { encoded, device }, AS_RECIPIENT);
    expect(deps.tables.commits.slice(writesBefore)).toEqual(['addDevice']);

    deps.clock.now = new Date('2026-11-22T08:00:00Z');
    const again = await acceptInvitation(deps, { encoded, device: { ...device, hostname: 'renamed' } }, AS_RECIPIENT);
    expect(deps.tables.commits.slice(writesBefore)).toEqual(['addDevice', 'recordAcceptance']);
    const stored = await deps.store.getDevice(invitation.id, device.deviceId);
    expect(again.device).toEqual(stored);
    expect(stored).toMatchObject({
      hostname: 'renamed',
      lastSeenAt: '2026-11-22T08:00:00Z',
      registeredAt: '2026-11-21T08:00:00Z',
    });
    expect(deps.tables.acceptances.get(invitation.id)!.size).toBe(2);
    expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(1);
  });
});
