import { decodeInvitation } from '../../../../../lambdas/domain/encoding';
import { hashToken } from '../../../../../lambdas/domain/tokens';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { memoryDeps } from '../../../../support/memory/deps';
import { register } from '../../../../support/memory/registration';
import { AS_ADMIN } from '../../../../support/origins';
import { refusalOf } from '../../../../support/refusal';

let deps = memoryDeps();
beforeEach(() => {
  deps = memoryDeps();
});

const issue = (request: Parameters<typeof issueInvitation>[1], options: { key?: string; byDelegate?: boolean } = {}) =>
  issueInvitation(deps, request, {
    origin: AS_ADMIN,
    idempotencyKey: options.key,
    byDelegate: options.byDelegate,
  }).then(({ issued }) => issued);

describe('issuing an invitation on in-memory ports', () => {
  test('a child of a parent revoked meanwhile is refused: the parent is re-checked in the same transaction', async () => {
    const parent = await issue({ name: 'Parent', type: 'admin' });
    await revokeInvitation(deps, parent.invitation.id, undefined, false, AS_ADMIN);
    await expect(
      issue({ name: 'late child', type: 'read_only', parentId: parent.invitation.id }),
    ).rejects.toMatchObject({ code: 'parent_revoked' });
    await expect(issue({ name: 'child by token', type: 'read_only', parentToken: parent.token })).rejects.toMatchObject(
      { code: 'parent_revoked' },
    );
    await expect(issue({ name: 'orphan', type: 'read_only', parentId: 'nope' })).rejects.toMatchObject({
      status: 404,
      code: 'parent_not_found',
    });
  });

  test('a child planned before its parent is revoked cannot land after the revocation', async () => {
    const parent = await issue({ name: 'Parent', type: 'admin' });
    const hold = deps.tables.interleaving.hold('createInvitation');
    const child = issue({ name: 'late child', type: 'read_only', parentId: parent.invitation.id });
    await hold.reached();
    await revokeInvitation(deps, parent.invitation.id, undefined, false, AS_ADMIN);
    hold.release();
    expect(await refusalOf(child)).toMatchObject({ code: 'parent_revoked' });
    expect(await deps.store.childIds(parent.invitation.id)).toEqual([]);
  });

  test('Idempotency-Key: a repeat returns the first invitation; another body under the key is refused', async () => {
    const request = { name: 'idempotent', type: 'read_write' as const, maxDevices: 2 };
    // Both read no record under the key, and both plan a creation.
    const hold = deps.tables.interleaving.hold('createInvitation');
    const racing = [issue(request, { key: 'key-1' }), issue(request, { key: 'key-1' })];
    await hold.reached(2);
    hold.release();
    const [a, b] = await Promise.all(racing);
    expect(b!.invitation.id).toBe(a!.invitation.id);
    expect(b!.token).toBe(a!.token);
    expect(deps.tables.commits.filter((write) => write === 'createInvitation')).toHaveLength(1);
    await expect(issue({ ...request, maxDevices: 3 }, { key: 'key-1' })).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_key_reused',
    });
    const other = await issueInvitation(deps, request, {
      origin: { actor: 'arn:aws:iam::000000000000:user/other' },
      idempotencyKey: 'key-1',
    });
    expect(other.issued.invitation.id).not.toBe(a!.invitation.id);
  });

  test('an invitation records its ancestors, parent first, and so does its token item', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin' });
    const department = await issue({ name: 'Dept Admin', type: 'admin', parentId: root.invitation.id });
    const member = await issue(
      { name: 'Member', type: 'read_write', parentToken: department.token },
      { byDelegate: true },
    );
    expect(member.invitation.ancestors).toEqual([department.invitation.id, root.invitation.id]);
    const lineage = await deps.store.lineage(member.invitation.id);
    expect(lineage!.ancestors.map(({ id, invitation }) => [id, invitation?.name])).toEqual([
      [department.invitation.id, 'Dept Admin'],
      [root.invitation.id, 'Org Admin'],
    ]);
    expect(deps.tables.tokens.get(hashToken(member.token))).toEqual({
      invitationId: member.invitation.id,
      ancestors: [department.invitation.id, root.invitation.id],
    });
  });
});

describe('the recipient address on in-memory ports (SPEC §1.1, §4.5)', () => {
  const EMAIL = 'Ana.Lopez@Example.EDU';

  test('is stored on the invitation, and kept out of its encoded form and of the audit log', async () => {
    const parent = await issue({ name: 'Parent', type: 'admin', email: EMAIL });
    const child = await issue(
      { name: 'Child', type: 'read_only', email: 'child@example.org', parentToken: parent.token },
      { byDelegate: true },
    );
    expect(parent.invitation.email).toBe(EMAIL);
    expect((await deps.store.getInvitation(parent.invitation.id))!.value.email).toBe(EMAIL);
    expect(decodeInvitation(parent.encoded, await deps.keyRing())).not.toHaveProperty('email');
    expect(Buffer.from(parent.encoded, 'base64url').toString()).not.toContain(EMAIL);
    const { events } = await deps.auditLog.list({}, 100);
    expect(events.map((event) => event.action)).toEqual(['invitation.created', 'invitation.created']);
    expect(JSON.stringify(events)).not.toMatch(/Ana\.Lopez|child@example/);
    expect(child.invitation.email).toBe('child@example.org');
  });

  test('rotating and revoking record nothing of it either', async () => {
    const issued = await issue({ name: 'Ana', type: 'read_only', email: EMAIL });
    await rotateInvitation(deps, issued.invitation.id, AS_ADMIN);
    await revokeInvitation(deps, issued.invitation.id, 'left', false, AS_ADMIN);
    const { events } = await deps.auditLog.list({}, 100);
    expect(events.map((event) => event.action).sort()).toEqual([
      'invitation.created',
      'invitation.revoked',
      'invitation.rotated',
    ]);
    expect(JSON.stringify(events)).not.toContain(EMAIL);
    expect((await deps.store.getInvitation(issued.invitation.id))!.value.email).toBe(EMAIL);
  });
});

describe('bounded delegation on in-memory ports (SPEC §3.8)', () => {
  test('a 4th child under maxDescendants 3 is refused, naming the parent; simultaneous creates never overspend', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin', maxDescendants: 3 });
    // All eight read the root with nothing spent, and plan a creation.
    const hold = deps.tables.interleaving.hold('createInvitation');
    const racing = Array.from({ length: 8 }, (_, n) =>
      issue({ name: `Child ${n}`, type: 'read_only', parentId: root.invitation.id }),
    );
    await hold.reached(8);
    hold.release();
    const outcomes = await Promise.allSettled(racing);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        status: 409,
        code: 'delegation_quota_exceeded',
        details: { ancestorId: root.invitation.id },
      });
    }
    expect((await deps.store.getInvitation(root.invitation.id))!.value.descendantsCreated).toBe(3);
    expect(await deps.store.childIds(root.invitation.id)).toHaveLength(3);
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
      { byDelegate: true },
    );
    expect(child.invitation.policyRestrictions).toEqual({ forbiddenRegions: ['us-east-1'], maxHourlyCost: 2 });
    expect(child.invitation.ownerAccount).toBe('111122223333');
    expect(
      await refusalOf(
        issue(
          { name: 'Rogue', type: 'read_only', parentId: root.invitation.id, ownerAccount: '999999999999' },
          { byDelegate: true },
        ),
      ),
    ).toMatchObject({ status: 400, details: { field: 'ownerAccount' } });
  });

  test('a device registered under a member spends nothing of the allowance', async () => {
    const root = await issue({ name: 'Org Admin', type: 'admin', maxDescendants: 1 });
    const member = await issue({ name: 'Member', type: 'read_only', parentId: root.invitation.id, transferable: true });
    await register(deps, member.invitation.id);
    expect((await deps.store.getInvitation(root.invitation.id))!.value.descendantsCreated).toBe(1);
  });
});
