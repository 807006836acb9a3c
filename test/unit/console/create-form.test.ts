import { createBody, initialForm, withType } from '../../../console/src/model/create-form';

describe('the create forms', () => {
  test('create lets admin invitations invite by default, create-secure none', () => {
    expect(withType(initialForm('create'), 'create', 'admin').canInvite).toBe(true);
    expect(withType(initialForm('create'), 'create', 'read_write').canInvite).toBe(false);
    expect(withType(initialForm('create-secure'), 'create-secure', 'admin').canInvite).toBe(false);
  });

  test('once the administrator chose whether it may invite, a change of type keeps the choice', () => {
    const chosen = { ...initialForm('create-secure'), canInvite: true, canInviteChosen: true };
    expect(withType(chosen, 'create-secure', 'read_only').canInvite).toBe(true);
  });

  test('the body carries the four security settings, and leaves out what was left empty', () => {
    const form = { ...initialForm('create-secure', ' PARENT '), name: 'lab', validDays: '', maxDevices: '2' };
    expect(createBody(form)).toEqual({
      name: 'lab',
      type: 'read_only',
      validDays: undefined,
      canInvite: false,
      transferable: false,
      deviceBound: true,
      maxDevices: 2,
      maxDescendants: undefined,
      parentId: 'PARENT',
      email: undefined,
      deliver: undefined,
      ownerAccount: undefined,
      ownerProfile: undefined,
      s3ConfigPath: undefined,
    });
  });

  test('deliver goes only with an address; a number as typed reaches the registry, which names the field', () => {
    const base = { ...initialForm('create'), name: 'lab', deliver: true };
    expect(createBody(base).deliver).toBeUndefined();
    expect(createBody({ ...base, email: ' a@example.org ' })).toEqual(
      expect.objectContaining({ email: 'a@example.org', deliver: true }),
    );
    expect(createBody({ ...base, maxDevices: '9' }).maxDevices).toBe(9);
  });
});
