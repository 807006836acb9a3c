import type { Device } from '../../../../lambdas/domain/device';
import { acceptedView, invitationView, issuedView } from '../../../../lambdas/contract/views';
import { invitation } from '../../../support/invitations';

const NOW = new Date('2026-11-21T08:00:00Z');

const stored = invitation({
  id: '01JCHILD',
  name: 'Engineering-Admin',
  parentId: '01JPARENT',
  ancestors: ['01JPARENT'],
  ownerAccount: '123456789012',
  ownerProfile: 'research',
  s3ConfigPath: 's3://university/cs101/config',
  policyRestrictions: { maxHourlyCost: 2.5 },
  batchId: 'B1',
  batchRow: 3,
  boundUsername: 'ana',
  revokedAt: '2026-11-20T00:00:00Z',
  revokedBy: 'admin',
  revokeReason: 'gone',
  expiredMarkedAt: '2026-11-20T00:00:00Z',
  email: 'Ana.Lopez@Example.EDU',
});

const device: Device = {
  invitationId: '01JCHILD',
  deviceId: 'device-1',
  hostname: 'lab-1',
  username: 'ana',
  status: 'active',
  registeredAt: '2026-11-21T08:00:00Z',
  lastSeenAt: '2026-11-21T08:00:00Z',
};

describe('the views handlers map use-case results to', () => {
  test('an invitation shows every field but the stored-only ones, its status as of now', () => {
    const view = invitationView({ ...stored, expiresAt: '2026-11-01T00:00:00Z' }, NOW);
    expect(Object.keys(view).sort()).toEqual(
      [
        'id',
        'name',
        'type',
        'status',
        'createdAt',
        'expiresAt',
        'validDays',
        'canInvite',
        'transferable',
        'deviceBound',
        'maxDevices',
        'activeDevices',
        'maxDescendants',
        'descendantsCreated',
        'tokenHint',
        'createdBy',
        'parentId',
        'ancestors',
        'ownerAccount',
        'ownerProfile',
        's3ConfigPath',
        'policyRestrictions',
        'batchId',
        'batchRow',
        'revokedAt',
        'revokedBy',
        'revokeReason',
        'expiredMarkedAt',
        'email',
      ].sort(),
    );
    expect(view.status).toBe('expired');
    expect(view.email).toBe('Ana.Lopez@Example.EDU');
  });

  test('an issued invitation carries its secret beside the view, in the order the answer always had', () => {
    const issued = issuedView({ invitation: stored, token: 'inv-secret', encoded: 'eyJ', notes: ['a note'] }, NOW);
    expect(Object.keys(issued)).toEqual(['invitation', 'token', 'encoded', 'notes']);
    expect(issued).toEqual({
      invitation: invitationView(stored, NOW),
      token: 'inv-secret',
      encoded: 'eyJ',
      notes: ['a note'],
    });
  });

  test('an accepted invitation: the profile as the answer always wrote it, named as the recipient asked', () => {
    const accepted = acceptedView({ invitation: stored, profileName: 'mine', registryApi: 'https://r', device });
    expect(JSON.stringify(accepted)).toBe(
      JSON.stringify({
        invitationId: '01JCHILD',
        profile: {
          name: 'mine',
          type: 'admin',
          ownerAccount: '123456789012',
          ownerProfile: 'research',
          s3ConfigPath: 's3://university/cs101/config',
          policyRestrictions: { maxHourlyCost: 2.5 },
          expiresAt: '2027-11-01T00:00:00Z',
          canInvite: true,
          transferable: false,
          deviceBound: true,
          maxDevices: 3,
          registryApi: 'https://r',
        },
        device,
      }),
    );
  });

  test('an accepted invitation without owner fields, registry or device leaves them out', () => {
    const bare = invitation({ id: '01JROOT' });
    expect(acceptedView({ invitation: bare, profileName: bare.name })).toStrictEqual({
      invitationId: '01JROOT',
      profile: {
        name: 'Org Admin',
        type: 'admin',
        expiresAt: '2027-11-01T00:00:00Z',
        canInvite: true,
        transferable: false,
        deviceBound: true,
        maxDevices: 3,
      },
    });
  });
});
