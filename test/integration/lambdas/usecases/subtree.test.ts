import { RegistryStore } from '../../../../lambdas/adapters/registry-store';
import type { Device } from '../../../../lambdas/domain/device';
import { acceptInvitation } from '../../../../lambdas/usecases/devices/accept';
import { authorizeDelegate } from '../../../../lambdas/usecases/invitations/delegate';
import { registerDevice, revokeAllDevices, validateRegistration } from '../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../lambdas/usecases/invitations/manage';
import type { HandedOut } from '../../../../lambdas/domain/invitation';
import { AS_ADMIN, AS_RECIPIENT, integrationDeps } from '../../../support/deps';

jest.setTimeout(60_000);

const deps = integrationDeps();
let serial = 0;
const deviceFor = (username = 'member') => ({
  deviceId: `device-subtree-${Date.now()}-${serial++}`,
  hostname: 'member-laptop',
  username,
});

const issue = (request: Parameters<typeof issueInvitation>[1], byDelegate = false) =>
  issueInvitation(deps, request, { origin: AS_ADMIN, byDelegate }).then(({ issued }) => issued);

const register = async (invitation: HandedOut, request = deviceFor(), d = deps): Promise<Device> =>
  registerDevice(d, (await d.store.lineage(invitation.invitation.id, request.deviceId))!, request, AS_RECIPIENT);

/** An org root, a department admin under it, and a member under the department, the member with one device. */
async function organisation(options: { memberMaxDevices?: number } = {}) {
  const root = await issue({ name: 'Org Admin', type: 'admin', validDays: 365, maxDevices: 5 });
  const department = await issue({ name: 'Dept Admin', type: 'admin', maxDevices: 5, parentId: root.invitation.id });
  const member = await issue(
    {
      name: 'Member',
      type: 'read_write',
      canInvite: true,
      transferable: true,
      maxDevices: options.memberMaxDevices ?? 3,
      parentId: department.invitation.id,
    },
    true,
  );
  const device = await register(member);
  return { root, department, member, device };
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as { code: string; status: number; details?: Record<string, unknown> },
  );

describe('the subtree rule against DynamoDB Local (SPEC §3.7)', () => {
  test('an invitation records its ancestors, parent first, and so does its token item', async () => {
    const { root, department, member } = await organisation();
    expect(member.invitation.ancestors).toEqual([department.invitation.id, root.invitation.id]);
    const lineage = await deps.store.lineage(member.invitation.id);
    expect(lineage!.ancestors.map(({ id, invitation }) => [id, invitation?.name])).toEqual([
      [department.invitation.id, 'Dept Admin'],
      [root.invitation.id, 'Org Admin'],
    ]);
  });

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
        await refusalOf(acceptInvitation(deps, { encoded: org.member.encoded, device: deviceFor() }, AS_RECIPIENT)),
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
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let planned!: () => void;
    const reachedWrite = new Promise<void>((resolve) => (planned = resolve));
    // The store as the use case sees it, holding the registration's transaction until the revocation has landed.
    const gated = Object.assign(Object.create(RegistryStore.prototype) as RegistryStore, deps.store, {
      addDevice: async (...args: Parameters<RegistryStore['addDevice']>) => {
        planned();
        await held;
        return RegistryStore.prototype.addDevice.apply(deps.store, args);
      },
    });
    const racing = register(org.member, deviceFor(), { ...deps, store: gated });
    await Promise.race([reachedWrite, racing]);
    await revokeInvitation(deps, org.department.invitation.id, 'breach', false, AS_ADMIN);
    release();

    expect(await refusalOf(racing)).toMatchObject({ code: 'ancestor_revoked' });
    const active = (await deps.store.listDevices(org.member.invitation.id)).filter((d) => d.status === 'active');
    expect(active.map((d) => d.deviceId)).toEqual([org.device.deviceId]);
  });

  test('20 registrations racing a revocation: each success landed before it, and none validates after', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin' });
    const department = await issue({ name: 'Dept Admin', type: 'admin', parentId: root.invitation.id });
    const members = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        issue({ name: `Member ${n}`, type: 'read_only', parentId: department.invitation.id }),
      ),
    );
    const attempts = members.map(async (member) => {
      const request = deviceFor();
      try {
        return { member, device: await register(member, request) };
      } catch (error) {
        return { member, error: error as { code: string } };
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const revocation = revokeInvitation(deps, department.invitation.id, 'breach', false, AS_ADMIN);
    const outcomes = await Promise.all(attempts);
    const { invitation: revoked } = await revocation;

    const succeeded = outcomes.filter((outcome) => outcome.device);
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

describe('bounded delegation against DynamoDB Local (SPEC §3.8)', () => {
  test('a 4th child under maxDescendants 3 is refused, naming the parent; simultaneous creates never overspend', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin', maxDescendants: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        issue({ name: `Child ${n}`, type: 'read_only', parentId: root.invitation.id }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        status: 409,
        code: 'delegation_quota_exceeded',
        details: { ancestorId: root.invitation.id },
      });
    }
    expect((await deps.store.getInvitation(root.invitation.id))!.value.descendantsCreated).toBe(3);
  });

  test('a grandchild spends from every ancestor, and the smallest allowance left binds', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin', maxDescendants: 2 });
    const department = await issue({
      name: 'Dept Admin',
      type: 'admin',
      parentId: root.invitation.id,
      maxDescendants: 50,
    });
    expect(department.invitation.maxDescendants).toBe(1);
    expect(department.notes).toContainEqual(expect.stringContaining('maxDescendants lowered from 50 to 1'));
    await issue({ name: 'Member', type: 'read_only', parentId: department.invitation.id });
    expect(
      await refusalOf(issue({ name: 'One too many', type: 'read_only', parentId: department.invitation.id })),
    ).toMatchObject({ code: 'delegation_quota_exceeded' });
    const [rootAfter, departmentAfter] = await Promise.all([
      deps.store.getInvitation(root.invitation.id),
      deps.store.getInvitation(department.invitation.id),
    ]);
    expect(rootAfter!.value.descendantsCreated).toBe(2);
    expect(departmentAfter!.value.descendantsCreated).toBe(1);
  });

  test("a delegate's child keeps the parent's forbidden region and cost cap; another owner account is refused", async () => {
    const root = await issue({
      name: 'Org Admin',
      type: 'admin',
      ownerAccount: '111122223333',
      policyRestrictions: { forbiddenRegions: ['us-east-1'], maxHourlyCost: 2 },
    });
    const child = await issue(
      { name: 'Dept', type: 'admin', parentId: root.invitation.id, policyRestrictions: { maxHourlyCost: 10 } },
      true,
    );
    expect(child.invitation.policyRestrictions).toEqual({ forbiddenRegions: ['us-east-1'], maxHourlyCost: 2 });
    expect(child.invitation.ownerAccount).toBe('111122223333');
    expect(
      await refusalOf(
        issue({ name: 'Rogue', type: 'read_only', parentId: root.invitation.id, ownerAccount: '999999999999' }, true),
      ),
    ).toMatchObject({ status: 400, details: { field: 'ownerAccount' } });
  });
});
