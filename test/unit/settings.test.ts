import { RegistryError } from '../../lambdas/domain/errors';
import { resolveSettings } from '../../lambdas/domain/settings';
import { NOW, invitation } from '../support/invitations';

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
    const error = refusal(() => resolveSettings({ name: 'c', type: 'read_only' }, invitation(overrides), NOW));
    expect(error.code).toBe(rule);
    expect(error.details).toMatchObject({ rule });
  });

  test('a child type ranked above the parent is refused', () => {
    const error = refusal(() => resolveSettings({ name: 'c', type: 'admin' }, invitation({ type: 'read_write' }), NOW));
    expect(error.code).toBe('type_exceeds_parent');
    expect(error.status).toBe(403);
  });

  test('device binding, transferability, device cap and expiry are inherited, each with a note', () => {
    const { settings, notes } = resolveSettings(
      { name: 'c', type: 'read_write', deviceBound: false, transferable: true, maxDevices: 5, validDays: 365 },
      parent,
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
    const { notes } = resolveSettings({ name: 'c', type: 'read_only', maxDevices: 2, validDays: 10 }, parent, NOW);
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
        ancestor,
        NOW,
      );
      expect(settings).toMatchObject({ maxDevices: 2, transferable: false, deviceBound: true });
      ancestor = invitation({ ...settings, id: `01JLEVEL${depth}`, status: 'active' });
    }
  });
});
