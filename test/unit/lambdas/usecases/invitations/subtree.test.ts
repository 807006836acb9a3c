import type { Device } from '../../../../../lambdas/domain/device';
import type { IssuedInvitation } from '../../../../../lambdas/contract/views';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { revokeAllDevices, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { authorizeDelegate, subtreePage } from '../../../../../lambdas/usecases/invitations/delegate';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { memoryDeps } from '../../../../support/memory/deps';
import { newDevice, register as registerOn } from '../../../../support/memory/registration';
import { AS_ADMIN, AS_RECIPIENT } from '../../../../support/origins';
import { refusalOf } from '../../../../support/refusal';

const T0 = new Date('2026-11-21T08:00:00Z');
let deps = memoryDeps({ now: T0 });
beforeEach(() => {
  deps = memoryDeps({ now: T0 });
});

const issue = (request: Parameters<typeof issueInvitation>[1], byDelegate = false) =>
  issueInvitation(deps, request, { origin: AS_ADMIN, byDelegate }).then(({ issued }) => issued);
const register = (invitation: IssuedInvitation, request = newDevice('member')): Promise<Device> =>
  registerOn(deps, invitation.invitation.id, request);

/** An org root, a department admin under it, and a member under the department, the member with one device. */
async function organisation() {
  const root = await issue({ name: 'Org Admin', type: 'admin', validDays: 365, maxDevices: 5 });
  const department = await issue({ name: 'Dept Admin', type: 'admin', maxDevices: 5, parentId: root.invitation.id });
  const member = await issue(
    {
      name: 'Member',
      type: 'read_write',
      canInvite: true,
      transferable: true,
      maxDevices: 3,
      parentId: department.invitation.id,
    },
    true,
  );
  const device = await register(member);
  return { root, department, member, device };
}

describe('the subtree rule on in-memory ports (SPEC §3.7)', () => {
  test.each(['department', 'root'] as const)(
    'revoking the %s (no cascade) stops the member: validation, a new device, delegation and acceptance',
    async (which) => {
      const org = await organisation();
      const revoked = org[which].invitation.id;
      await revokeInvitation(deps, revoked, 'breach', false, AS_ADMIN);

      expect(await validateRegistration(deps, org.member.token, org.device.deviceId)).toEqual({
        valid: false,
        reason: 'ancestor_revoked',
        ancestorId: revoked,
      });
      expect(await refusalOf(register(org.member))).toMatchObject({
        status: 403,
        code: 'ancestor_revoked',
        details: { ancestorId: revoked },
      });
      expect(await refusalOf(authorizeDelegate(deps, org.member.invitation.id))).toMatchObject({
        code: 'ancestor_revoked',
      });
      expect(
        await refusalOf(issue({ name: 'Sub', type: 'read_only', parentId: org.member.invitation.id }, true)),
      ).toMatchObject({ code: 'ancestor_revoked', details: { ancestorId: revoked } });
      expect(
        await refusalOf(acceptInvitation(deps, { encoded: org.member.encoded, device: newDevice() }, AS_RECIPIENT)),
      ).toMatchObject({ code: 'ancestor_revoked' });
      // The member's own record is untouched: the rule is read at use time, not written down the tree.
      expect((await deps.store.getInvitation(org.member.invitation.id))!.value.status).toBe('active');
    },
  );

  test('suspending the department suspends the member; rotating the department restores it', async () => {
    const org = await organisation();
    await revokeAllDevices(deps, org.department.invitation.id, 'lost laptop', true, AS_ADMIN);
    expect(await validateRegistration(deps, org.member.token, org.device.deviceId)).toEqual({
      valid: false,
      reason: 'ancestor_suspended',
      ancestorId: org.department.invitation.id,
    });
    expect(await refusalOf(register(org.member))).toMatchObject({ code: 'ancestor_suspended' });

    await rotateInvitation(deps, org.department.invitation.id, AS_ADMIN);
    expect(await validateRegistration(deps, org.member.token, org.device.deviceId)).toEqual({ valid: true });
    await expect(register(org.member)).resolves.toMatchObject({ status: 'active' });
  });

  test('a registration planned before an ancestor is revoked cannot land after the revocation', async () => {
    const org = await organisation();
    const hold = deps.tables.interleaving.hold('addDevice');
    const racing = register(org.member);
    await hold.reached();
    await revokeInvitation(deps, org.department.invitation.id, 'breach', false, AS_ADMIN);
    hold.release();

    expect(await refusalOf(racing)).toMatchObject({ code: 'ancestor_revoked' });
    const active = (await deps.store.listDevices(org.member.invitation.id)).filter((d) => d.status === 'active');
    expect(active.map((d) => d.deviceId)).toEqual([org.device.deviceId]);
  });

  // An acceptance with a new device is one write with its registration; with the device registered already, one
  // with its refresh. Either way, planned before the revocation, it is refused once the revocation has landed.
  test.each([
    ['a new device', 'addDevice', () => newDevice('member')],
    ['its registered device', 'recordAcceptance', (device: Device) => ({ ...device, hostname: 'renamed' })],
  ] as const)(
    'an acceptance with %s planned before an ancestor is revoked cannot land after the revocation',
    async (_, write, deviceOf) => {
      const org = await organisation();
      const hold = deps.tables.interleaving.hold(write);
      const device = deviceOf(org.device);
      const accepting = acceptInvitation(deps, { encoded: org.member.encoded, device }, AS_RECIPIENT);
      await Promise.race([hold.reached(), accepting]);
      await revokeInvitation(deps, org.root.invitation.id, 'breach', false, AS_ADMIN);
      hold.release();
      expect(await refusalOf(accepting)).toMatchObject({ code: 'ancestor_revoked' });
      expect([...(deps.tables.acceptances.get(org.member.invitation.id)?.values() ?? [])]).toEqual([]);
      expect(await deps.store.listDevices(org.member.invitation.id)).toEqual([org.device]);
    },
  );

  test('20 registrations racing a revocation: each success landed before it, and none validates after', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin' });
    const department = await issue({ name: 'Dept Admin', type: 'admin', parentId: root.invitation.id });
    const members = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        issue({ name: `Member ${n}`, type: 'read_only', parentId: department.invitation.id }),
      ),
    );
    // The last ten have planned their registration but not written it when the revocation lands.
    const late = new Set(members.slice(10).map((member) => member.invitation.id));
    const hold = deps.tables.interleaving.hold('addDevice', (id) => late.has(id));
    const attempts = members.map(async (member) => {
      try {
        return { member, device: await register(member) };
      } catch (error) {
        return { member, error: error as { code: string } };
      }
    });
    await hold.reached(10);
    await Promise.all(attempts.slice(0, 10));
    deps.clock.now = new Date(T0.getTime() + 60_000);
    const { invitation: revoked } = await revokeInvitation(deps, department.invitation.id, 'breach', false, AS_ADMIN);
    hold.release();
    const outcomes = await Promise.all(attempts);

    const succeeded = outcomes.filter((outcome) => outcome.device);
    expect(succeeded.map(({ member }) => member)).toEqual(members.slice(0, 10));
    for (const outcome of outcomes.filter((o) => o.error)) expect(outcome.error!.code).toBe('ancestor_revoked');
    // A success is a device the store holds, registered no later than the revocation was decided.
    for (const { member, device } of succeeded) {
      const stored = await deps.store.getDevice(member.invitation.id, device!.deviceId);
      expect(stored).toMatchObject({ status: 'active' });
      expect(Date.parse(stored!.registeredAt)).toBeLessThanOrEqual(Date.parse(revoked.revokedAt!));
    }
    // Every device of every member: none validates any more, and no refused attempt left one behind.
    let devices = 0;
    for (const member of members) {
      for (const device of await deps.store.listDevices(member.invitation.id)) {
        devices++;
        expect(await validateRegistration(deps, member.token, device.deviceId)).toMatchObject({
          valid: false,
          reason: 'ancestor_revoked',
        });
      }
    }
    expect(devices).toBe(succeeded.length);
  });
});

describe('delegates on in-memory ports', () => {
  test("a delegate's subtree covers every depth and pages by id", async () => {
    const root = await issue({ name: 'Subtree root', type: 'admin' });
    const dept = await issue({ name: 'Dept', type: 'admin', canInvite: true, parentId: root.invitation.id });
    const team = await issue({ name: 'Team', type: 'read_only', parentId: dept.invitation.id });
    const peer = await issue({ name: 'Peer', type: 'read_write', parentId: root.invitation.id });
    const first = await subtreePage(deps, root.invitation.id, 2);
    expect(first.invitations.map((i) => i.id)).toEqual([dept.invitation.id, team.invitation.id]);
    const second = await subtreePage(deps, root.invitation.id, 2, first.after);
    expect(second.invitations.map((i) => i.id)).toEqual([peer.invitation.id]);
    expect(second.after).toBeUndefined();
  });

  test('a device-bound delegate must name an active device of its own', async () => {
    const org = await organisation();
    const id = org.member.invitation.id;
    await expect(authorizeDelegate(deps, id)).rejects.toMatchObject({ status: 401, code: 'device_required' });
    await expect(authorizeDelegate(deps, id, 'device-unknown')).rejects.toMatchObject({
      status: 403,
      code: 'unknown_device',
    });
    await expect(authorizeDelegate(deps, id, org.device.deviceId)).resolves.toMatchObject({ id });
    await revokeAllDevices(deps, id, undefined, false, AS_ADMIN);
    await expect(authorizeDelegate(deps, id, org.device.deviceId)).rejects.toMatchObject({ code: 'device_revoked' });
  });
});
