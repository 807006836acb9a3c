import { allowanceLeft, bindingsFromParent, blockText, blockedBy } from '../../../console/src/model/inheritance';
import { invitationView } from './fixtures';

const settingsOf = (bindings: { setting: string }[]) => bindings.map(({ setting }) => setting);

describe('what a parent binds in its child', () => {
  const parent = invitationView({ id: 'P', maxDevices: 3, deviceBound: true, transferable: false });

  test('a child at its parent limits is bound by each of them', () => {
    const child = invitationView({ id: 'C', parentId: 'P', maxDevices: 3, expiresAt: parent.expiresAt });
    expect(settingsOf(bindingsFromParent(child, parent))).toEqual([
      'maxDevices',
      'expiresAt',
      'deviceBound',
      'transferable',
      'maxDescendants',
    ]);
  });

  test('a child below its parent limits, under a transferable parent that does not bind devices, is bound by none', () => {
    const free = invitationView({
      id: 'P',
      maxDevices: 5,
      deviceBound: false,
      transferable: true,
      maxDescendants: 1000,
    });
    const child = invitationView({
      id: 'C',
      maxDevices: 2,
      deviceBound: false,
      transferable: true,
      expiresAt: '2026-11-20T00:00:00Z',
      maxDescendants: 10,
    });
    expect(bindingsFromParent(child, free)).toEqual([]);
  });

  test('the allowance binds only a child that may invite and could create more than the parent has left', () => {
    const spent = invitationView({ id: 'P', maxDescendants: 100, descendantsCreated: 95 });
    expect(allowanceLeft(spent)).toBe(5);
    const inviting = invitationView({ maxDescendants: 50, descendantsCreated: 0 });
    expect(bindingsFromParent(inviting, spent).find(({ setting }) => setting === 'maxDescendants')).toEqual(
      expect.objectContaining({ short: 'allowance 5' }),
    );
    const notInviting = invitationView({ canInvite: false, maxDescendants: 50 });
    expect(settingsOf(bindingsFromParent(notInviting, spent))).not.toContain('maxDescendants');
    const small = invitationView({ maxDescendants: 4 });
    expect(settingsOf(bindingsFromParent(small, spent))).not.toContain('maxDescendants');
  });
});

describe('the ancestor that blocks a subtree', () => {
  const active = (id: string) => ({ id, invitation: invitationView({ id, name: id }) });
  const withStatus = (id: string, status: 'revoked' | 'suspended' | 'expired') => ({
    id,
    invitation: invitationView({ id, name: id, status }),
  });

  test('none while every ancestor is active', () => {
    expect(blockedBy([active('parent'), active('root')])).toBeUndefined();
    expect(blockedBy([])).toBeUndefined();
  });

  test('the highest ancestor that is not active, as the registry names the widest cause', () => {
    const block = blockedBy([withStatus('parent', 'suspended'), active('middle'), withStatus('root', 'revoked')]);
    expect(block).toEqual({ ancestorId: 'root', name: 'root', cause: 'revoked' });
    expect(blockText(block!)).toBe('blocked by ancestor root: revoked');
  });

  test('an ancestor the registry no longer has counts as removed, named by its id', () => {
    const block = blockedBy([active('parent'), { id: 'GONE' }]);
    expect(blockText(block!)).toBe('blocked by ancestor GONE: removed');
  });
});
