import { RegistryError } from '../../../../lambdas/domain/errors';
import { placeUnder, resolveSettings } from '../../../../lambdas/domain/settings';
import { NOW, invitation } from '../../../support/invitations';

const refusal = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('defaults and ranges (SPEC §1.1)', () => {
  test('an admin invitation defaults to canInvite, device-bound, one device, 30 days', () => {
    const { settings, notes } = resolveSettings({ name: 'lab-access', type: 'admin' }, undefined, NOW);
    expect(settings).toMatchObject({
      canInvite: true,
      transferable: false,
      deviceBound: true,
      maxDevices: 1,
      validDays: 30,
      createdAt: '2026-11-21T08:00:00Z',
      expiresAt: '2026-12-21T08:00:00Z',
    });
    expect(notes).toEqual([]);
  });

  test('a non-admin invitation cannot invite by default', () => {
    expect(resolveSettings({ name: 'viewer', type: 'read_only' }, undefined, NOW).settings.canInvite).toBe(false);
  });

  test.each([
    ['validDays', { validDays: 0 }, '1 to 3650'],
    ['validDays', { validDays: 3651 }, '1 to 3650'],
    ['validDays', { validDays: 2.5 }, '1 to 3650'],
    ['maxDevices', { maxDevices: 6 }, '1 to 5'],
    ['maxDevices', { maxDevices: 0 }, '1 to 5'],
  ])('%s out of range is refused, naming the field and range (%o)', (field, input, range) => {
    const error = refusal(() => resolveSettings({ name: 'x', type: 'read_only', ...input }, undefined, NOW));
    expect(error.status).toBe(400);
    expect(error.message).toContain(field);
    expect(error.message).toContain(range);
  });

  test('a blank name and a malformed s3ConfigPath are refused', () => {
    expect(refusal(() => resolveSettings({ name: '  ', type: 'admin' }, undefined, NOW)).message).toContain('name');
    const error = refusal(() =>
      resolveSettings({ name: 'x', type: 'admin', s3ConfigPath: 'bucket/x' }, undefined, NOW),
    );
    expect(error.message).toContain('s3ConfigPath');
  });

  test('an address is kept as given, trimmed; an implausible one is refused naming email', () => {
    const { settings } = resolveSettings(
      { name: 'x', type: 'admin', email: ' Ana.Lopez@Example.EDU ' },
      undefined,
      NOW,
    );
    expect(settings.email).toBe('Ana.Lopez@Example.EDU');
    expect(resolveSettings({ name: 'x', type: 'admin' }, undefined, NOW).settings).not.toHaveProperty('email');
    const error = refusal(() => resolveSettings({ name: 'x', type: 'admin', email: 'ana@' }, undefined, NOW));
    expect(error).toMatchObject({ status: 400, message: 'email: must look like local@domain.tld' });
  });

  test("a child never carries its parent's address: each invitation has its own recipient", () => {
    const parent = invitation({ email: 'parent@example.org' });
    expect(resolveSettings({ name: 'c', type: 'read_only' }, { parent }, NOW).settings).not.toHaveProperty('email');
    const child = resolveSettings({ name: 'c', type: 'read_only', email: 'child@example.org' }, { parent }, NOW);
    expect(child.settings.email).toBe('child@example.org');
    expect(child.notes).toEqual([]);
  });
});

describe('inheritance from a parent (SPEC §3.3)', () => {
  const parent = invitation({
    deviceBound: true,
    transferable: false,
    maxDevices: 3,
    expiresAt: '2027-01-01T00:00:00Z',
  });

  test.each([
    ['revoked', { status: 'revoked' as const }, 'parent_revoked'],
    ['suspended', { status: 'suspended' as const }, 'parent_suspended'],
    ['expired', { expiresAt: '2026-11-20T00:00:00Z' }, 'parent_expired'],
    ['without canInvite', { canInvite: false }, 'parent_cannot_invite'],
  ])('a parent %s is refused with the rule named', (_label, overrides, rule) => {
    const error = refusal(() =>
      resolveSettings({ name: 'c', type: 'read_only' }, { parent: invitation(overrides) }, NOW),
    );
    expect(error.code).toBe(rule);
    expect(error.details).toMatchObject({ rule });
  });

  test('a child type ranked above the parent is refused', () => {
    const error = refusal(() =>
      resolveSettings({ name: 'c', type: 'admin' }, { parent: invitation({ type: 'read_write' }) }, NOW),
    );
    expect(error.code).toBe('type_exceeds_parent');
    expect(error.status).toBe(403);
  });

  test('device binding, transferability, device cap and expiry are inherited, each with a note', () => {
    const { settings, notes } = resolveSettings(
      { name: 'c', type: 'read_write', deviceBound: false, transferable: true, maxDevices: 5, validDays: 365 },
      { parent },
      NOW,
    );
    expect(settings).toMatchObject({
      deviceBound: true,
      transferable: false,
      maxDevices: 3,
      expiresAt: '2027-01-01T00:00:00Z',
      parentId: parent.id,
      validDays: 365,
    });
    expect(notes).toHaveLength(4);
    expect(notes.join('\n')).toMatch(
      /deviceBound.*\n.*transferable.*\n.*maxDevices lowered from 5 to 3.*\n.*expiresAt cut/,
    );
  });

  test('nothing is noted when the child already fits inside the parent', () => {
    const { notes } = resolveSettings({ name: 'c', type: 'read_only', maxDevices: 2, validDays: 10 }, { parent }, NOW);
    expect(notes).toEqual([]);
  });

  test('the constraints hold at any depth: a grandchild of a 2-device parent never gets more', () => {
    let ancestor = invitation({ maxDevices: 2 });
    for (let depth = 1; depth <= 5; depth++) {
      const { settings } = resolveSettings(
        {
          name: `level-${depth}`,
          type: 'admin',
          canInvite: true,
          maxDevices: 5,
          transferable: true,
          deviceBound: false,
        },
        { parent: ancestor },
        NOW,
      );
      expect(settings).toMatchObject({ maxDevices: 2, transferable: false, deviceBound: true });
      ancestor = invitation({ ...settings, id: `01JLEVEL${depth}`, status: 'active' });
    }
  });
});

describe('restrictions, ownership, depth and allowance under a parent (SPEC §3.3, §3.8)', () => {
  const parent = invitation({
    ownerAccount: '111122223333',
    ownerProfile: 'research',
    s3ConfigPath: 's3://org-config/research',
    policyRestrictions: {
      templateWhitelist: ['python-ml', 'r-studio'],
      maxInstanceTypes: ['t3.medium'],
      forbiddenRegions: ['us-east-1'],
      templateBlacklist: ['gpu-xl'],
      maxHourlyCost: 2,
      maxDailyBudget: 40,
    },
  });

  test('a child asking for nothing gets every one of the parent limits, each with a note', () => {
    const { settings, notes } = resolveSettings({ name: 'c', type: 'read_only' }, { parent }, NOW);
    expect(settings.policyRestrictions).toEqual(parent.policyRestrictions);
    expect(notes).toHaveLength(6);
  });

  test('allow-lists intersect, deny-lists unite, caps take the smaller, each change noted', () => {
    const { settings, notes } = resolveSettings(
      {
        name: 'c',
        type: 'read_only',
        policyRestrictions: {
          templateWhitelist: ['python-ml', 'matlab'],
          maxInstanceTypes: ['t3.medium'],
          forbiddenRegions: ['eu-west-1'],
          templateBlacklist: ['gpu-xl'],
          maxHourlyCost: 5,
          maxDailyBudget: 10,
        },
      },
      { parent },
      NOW,
    );
    expect(settings.policyRestrictions).toEqual({
      templateWhitelist: ['python-ml'],
      maxInstanceTypes: ['t3.medium'],
      forbiddenRegions: ['eu-west-1', 'us-east-1'],
      templateBlacklist: ['gpu-xl'],
      maxHourlyCost: 2,
      maxDailyBudget: 10,
    });
    expect(notes).toEqual([
      expect.stringContaining('templateWhitelist: matlab removed'),
      expect.stringContaining('forbiddenRegions: us-east-1 added'),
      expect.stringContaining('maxHourlyCost lowered from 5 to 2'),
    ]);
  });

  test('a union longer than the list limit is refused, naming the field', () => {
    const crowded = invitation({
      policyRestrictions: { forbiddenRegions: Array.from({ length: 50 }, (_, n) => `r-${n}`) },
    });
    const error = refusal(() =>
      resolveSettings(
        { name: 'c', type: 'read_only', policyRestrictions: { forbiddenRegions: ['elsewhere'] } },
        { parent: crowded },
        NOW,
      ),
    );
    expect(error).toMatchObject({ status: 400, details: { field: 'policyRestrictions.forbiddenRegions' } });
  });

  test("a delegate's child carries the parent's owner fields; a different value is refused naming the field", () => {
    const carried = resolveSettings({ name: 'c', type: 'read_only' }, { parent, byDelegate: true }, NOW).settings;
    expect(carried).toMatchObject({
      ownerAccount: '111122223333',
      ownerProfile: 'research',
      s3ConfigPath: 's3://org-config/research',
    });
    for (const [field, value] of [
      ['ownerAccount', '999999999999'],
      ['ownerProfile', 'elsewhere'],
      ['s3ConfigPath', 's3://other-bucket/x'],
    ] as const) {
      const error = refusal(() =>
        resolveSettings({ name: 'c', type: 'read_only', [field]: value }, { parent, byDelegate: true }, NOW),
      );
      expect(error).toMatchObject({ status: 400, details: { field } });
    }
    const same = { name: 'c', type: 'read_only' as const, ownerAccount: '111122223333' };
    expect(resolveSettings(same, { parent, byDelegate: true }, NOW).settings.ownerAccount).toBe('111122223333');
  });

  test('an administrator may set the owner fields freely', () => {
    const { settings } = resolveSettings(
      { name: 'c', type: 'read_only', ownerAccount: '999999999999' },
      { parent, byDelegate: false },
      NOW,
    );
    expect(settings.ownerAccount).toBe('999999999999');
  });

  test('a child deeper than 8 levels below its root is refused', () => {
    const atEight = invitation({ ancestors: Array.from({ length: 8 }, (_, n) => `01JANCESTOR${n}`) });
    expect(refusal(() => resolveSettings({ name: 'c', type: 'read_only' }, { parent: atEight }, NOW))).toMatchObject({
      code: 'depth_exceeded',
    });
    const atSeven = invitation({ ancestors: Array.from({ length: 7 }, (_, n) => `01JANCESTOR${n}`) });
    const { settings } = resolveSettings({ name: 'c', type: 'read_only' }, { parent: atSeven }, NOW);
    expect(settings.ancestors).toEqual([atSeven.id, ...atSeven.ancestors!]);
  });

  test('maxDescendants defaults to the stack setting and is lowered to what the ancestors have left', () => {
    expect(resolveSettings({ name: 'r', type: 'admin' }, undefined, NOW, 250).settings.maxDescendants).toBe(250);
    const { settings, notes } = resolveSettings(
      { name: 'c', type: 'admin' },
      { parent, allowance: { left: 2, ancestorId: '01JTESTORGROOT000000000000' } },
      NOW,
      250,
    );
    expect(settings.maxDescendants).toBe(2);
    expect(notes).toContainEqual(
      expect.stringContaining('maxDescendants lowered from 250 to 2: what ancestor 01JTESTORGROOT'),
    );
  });

  test.each([-1, 1_000_001, 2.5])('maxDescendants %p is refused with its range', (maxDescendants) => {
    expect(
      refusal(() => resolveSettings({ name: 'c', type: 'admin', maxDescendants }, undefined, NOW)).message,
    ).toContain('0 to 1000000');
  });
});

describe('placing a child (SPEC §3.7, §3.8)', () => {
  const root = invitation({ id: '01JROOT', maxDescendants: 5, descendantsCreated: 4 });
  const parent = invitation({ id: '01JPARENT', ancestors: ['01JROOT'], maxDescendants: 100, descendantsCreated: 0 });

  test('the least allowance of the chain is what is left, after the child’s own unit', () => {
    const under = placeUnder(parent, [{ id: root.id, invitation: root }], NOW, { units: 1, byDelegate: true });
    expect(under.allowance).toEqual({ left: 0, ancestorId: '01JROOT' });
  });

  test('a spent ancestor refuses the creation, naming it', () => {
    const spent = { ...root, descendantsCreated: 5 };
    expect(
      refusal(() => placeUnder(parent, [{ id: spent.id, invitation: spent }], NOW, { units: 1, byDelegate: false })),
    ).toMatchObject({
      status: 409,
      code: 'delegation_quota_exceeded',
      details: { ancestorId: '01JROOT' },
    });
  });

  test('a revoked grandparent refuses the creation, naming it', () => {
    const revoked = { ...root, status: 'revoked' as const };
    expect(
      refusal(() =>
        placeUnder(parent, [{ id: revoked.id, invitation: revoked }], NOW, { units: 1, byDelegate: false }),
      ),
    ).toMatchObject({
      code: 'ancestor_revoked',
      details: { ancestorId: '01JROOT' },
    });
  });
});
