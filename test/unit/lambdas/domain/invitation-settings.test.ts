import { csvLine, exportCells, exportHeader, resultCells, resultHeader } from '../../../../lambdas/domain/csv/results';
import { encodeInvitation } from '../../../../lambdas/domain/encoding';
import { invitationExportRow } from '../../../../lambdas/domain/invitation-export';
import {
  AUDITED_SETTINGS,
  COLUMN_SETTINGS,
  ENCODED_SETTINGS,
  INVITATION_SETTINGS,
  PROFILE_SETTINGS,
} from '../../../../lambdas/domain/invitation-settings';
import { deriveToken } from '../../../../lambdas/domain/tokens';
import { NOW, invitation, testKeyRing } from '../../../support/invitations';

/** The lists as each place wrote them out before they were derived from INVITATION_SETTINGS. */
describe('the lists derived from the one table of invitation settings', () => {
  test('the CSV columns of the settings, in order', () => {
    expect(COLUMN_SETTINGS.map((setting) => INVITATION_SETTINGS[setting].column)).toEqual([
      { name: 'Name', cell: 'text' },
      { name: 'Type', cell: 'text' },
      { name: 'Valid Days', cell: 'number' },
      { name: 'Can Invite', cell: 'yesNo' },
      { name: 'Transferable', cell: 'yesNo' },
      { name: 'Device Bound', cell: 'yesNo' },
      { name: 'Max Devices', cell: 'number' },
    ]);
  });

  test('the accepted profile, in order', () => {
    expect(PROFILE_SETTINGS).toEqual([
      'name',
      'type',
      'ownerAccount',
      'ownerProfile',
      's3ConfigPath',
      'policyRestrictions',
      'expiresAt',
      'canInvite',
      'transferable',
      'deviceBound',
      'maxDevices',
    ]);
  });

  test('the creation event, in order', () => {
    expect(AUDITED_SETTINGS).toEqual([
      'name',
      'type',
      'validDays',
      'canInvite',
      'transferable',
      'deviceBound',
      'maxDevices',
      'maxDescendants',
      'parentId',
    ]);
  });

  test('the encoded invitation: each setting under its key, blank when absent only for the strings', () => {
    const keys = ENCODED_SETTINGS.map((setting) => [setting, INVITATION_SETTINGS[setting].payload]);
    expect(Object.fromEntries(keys)).toEqual({
      name: { key: 'name' },
      type: { key: 'type' },
      ownerAccount: { key: 'owner_account', blank: true },
      ownerProfile: { key: 'owner_profile', blank: true },
      s3ConfigPath: { key: 's3_config_path', blank: true },
      policyRestrictions: { key: 'policy_restrictions' },
      expiresAt: { key: 'expires' },
      canInvite: { key: 'can_invite' },
      transferable: { key: 'transferable' },
      deviceBound: { key: 'device_bound' },
      maxDevices: { key: 'max_devices' },
      createdAt: { key: 'created' },
      parentId: { key: 'parent_token', blank: true },
    });
  });
});

/** Byte for byte what the registry wrote before the table: the wire formats did not move. */
describe('the wire formats built from the table', () => {
  const ring = testKeyRing();
  const full = invitation({
    id: '01JCHILD',
    name: 'Engineering-Admin',
    parentId: '01JPARENT',
    ancestors: ['01JPARENT'],
    ownerAccount: '123456789012',
    ownerProfile: 'research',
    s3ConfigPath: 's3://university/cs101/config',
    policyRestrictions: {
      maxDailyBudget: 9,
      templateWhitelist: ['python-ml'],
      maxHourlyCost: 2.5,
      forbiddenRegions: ['x'],
    },
    batchId: 'B1',
    batchRow: 3,
    email: 'Ana.Lopez@Example.edu',
  });
  const bare = invitation({ id: '01JROOT', type: 'read_only', canInvite: false });
  const tokenOf = (id: string) => deriveToken(ring, 'k1', id, 1);

  test('the encoded invitation, with every setting and with none of the optional ones', () => {
    expect(encodeInvitation(full, tokenOf(full.id), ring, 'https://api.example.org/v1/registry')).toBe(
      'eyJ0b2tlbiI6Imludi1GdWtiRXhSQVd3NmEwc3JwcUpHR05BR1BWc2hoQ2lfRDVWUzVqejVabmhjIiwib3duZXJfcHJvZmlsZSI6InJlc2VhcmNoIiwib3duZXJfYWNjb3VudCI6IjEyMzQ1Njc4OTAxMiIsInMzX2NvbmZpZ19wYXRoIjoiczM6Ly91bml2ZXJzaXR5L2NzMTAxL2NvbmZpZyIsInR5cGUiOiJhZG1pbiIsIm5hbWUiOiJFbmdpbmVlcmluZy1BZG1pbiIsImNyZWF0ZWQiOiIyMDI2LTExLTAxVDAwOjAwOjAwWiIsImV4cGlyZXMiOiIyMDI3LTExLTAxVDAwOjAwOjAwWiIsImNhbl9pbnZpdGUiOnRydWUsInRyYW5zZmVyYWJsZSI6ZmFsc2UsImRldmljZV9ib3VuZCI6dHJ1ZSwibWF4X2RldmljZXMiOjMsInBhcmVudF90b2tlbiI6IjAxSlBBUkVOVCIsInBvbGljeV9yZXN0cmljdGlvbnMiOnsidGVtcGxhdGVfd2hpdGVsaXN0IjpbInB5dGhvbi1tbCJdLCJmb3JiaWRkZW5fcmVnaW9ucyI6WyJ4Il0sIm1heF9ob3VybHlfY29zdCI6Mi41LCJtYXhfZGFpbHlfYnVkZ2V0Ijo5fSwiaWQiOiIwMUpDSElMRCIsInJlZ2lzdHJ5X2FwaSI6Imh0dHBzOi8vYXBpLmV4YW1wbGUub3JnL3YxL3JlZ2lzdHJ5Iiwia2lkIjoiazEiLCJzaWduYXR1cmUiOiJMNGlsRE55b3czSmp3d2RHM0c2VXByc0FIXzlSNm1fdGktSk55a3ZndGtvIn0',
    );
    expect(encodeInvitation(bare, tokenOf(bare.id), ring)).toBe(
      'eyJ0b2tlbiI6Imludi1OM0JfQ3FEcGFuYS1MdjdEOVB3N0o1YUw0SGhCdEpGYXRidnF5dnlkc2dJIiwib3duZXJfcHJvZmlsZSI6IiIsIm93bmVyX2FjY291bnQiOiIiLCJzM19jb25maWdfcGF0aCI6IiIsInR5cGUiOiJyZWFkX29ubHkiLCJuYW1lIjoiT3JnIEFkbWluIiwiY3JlYXRlZCI6IjIwMjYtMTEtMDFUMDA6MDA6MDBaIiwiZXhwaXJlcyI6IjIwMjctMTEtMDFUMDA6MDA6MDBaIiwiY2FuX2ludml0ZSI6ZmFsc2UsInRyYW5zZmVyYWJsZSI6ZmFsc2UsImRldmljZV9ib3VuZCI6dHJ1ZSwibWF4X2RldmljZXMiOjMsInBhcmVudF90b2tlbiI6IiIsImlkIjoiMDFKUk9PVCIsImtpZCI6ImsxIiwic2lnbmF0dXJlIjoiS2p4Ykt6dUc0Q0hWVkRyZUY0UDkzVjU2NUI0ZzdiVWZiTW9sWldtX0xtVSJ9',
    );
  });

  test('an invitation export, with secrets and without', () => {
    const withSecrets = invitationExportRow(full, NOW, { ring, registryApi: 'https://r' });
    expect(csvLine(exportHeader(true)) + csvLine(exportCells(withSecrets, true))).toBe(
      'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error,Id,Invitation Status,Created,Expires,Parent Id,Active Devices,Batch Id,Max Descendants,Descendants Created,Email\r\nEngineering-Admin,admin,inv-FukbExRAWw6a0srpqJGGNAGPVshhCi_D5VS5jz5Znhc,345,yes,no,yes,3,Success,eyJ0b2tlbiI6Imludi1GdWtiRXhSQVd3NmEwc3JwcUpHR05BR1BWc2hoQ2lfRDVWUzVqejVabmhjIiwib3duZXJfcHJvZmlsZSI6InJlc2VhcmNoIiwib3duZXJfYWNjb3VudCI6IjEyMzQ1Njc4OTAxMiIsInMzX2NvbmZpZ19wYXRoIjoiczM6Ly91bml2ZXJzaXR5L2NzMTAxL2NvbmZpZyIsInR5cGUiOiJhZG1pbiIsIm5hbWUiOiJFbmdpbmVlcmluZy1BZG1pbiIsImNyZWF0ZWQiOiIyMDI2LTExLTAxVDAwOjAwOjAwWiIsImV4cGlyZXMiOiIyMDI3LTExLTAxVDAwOjAwOjAwWiIsImNhbl9pbnZpdGUiOnRydWUsInRyYW5zZmVyYWJsZSI6ZmFsc2UsImRldmljZV9ib3VuZCI6dHJ1ZSwibWF4X2RldmljZXMiOjMsInBhcmVudF90b2tlbiI6IjAxSlBBUkVOVCIsInBvbGljeV9yZXN0cmljdGlvbnMiOnsidGVtcGxhdGVfd2hpdGVsaXN0IjpbInB5dGhvbi1tbCJdLCJmb3JiaWRkZW5fcmVnaW9ucyI6WyJ4Il0sIm1heF9ob3VybHlfY29zdCI6Mi41LCJtYXhfZGFpbHlfYnVkZ2V0Ijo5fSwiaWQiOiIwMUpDSElMRCIsInJlZ2lzdHJ5X2FwaSI6Imh0dHBzOi8vciIsImtpZCI6ImsxIiwic2lnbmF0dXJlIjoiUnpMdk16NEhrOWFoajVFQkJtUkpuclFuRkVjdkgzeUU1MVBNMEdNbEI2cyJ9,,01JCHILD,active,2026-11-01T00:00:00Z,2027-11-01T00:00:00Z,01JPARENT,0,B1,10000,0,Ana.Lopez@Example.edu\r\n',
    );
    expect(csvLine(exportCells(invitationExportRow(bare, NOW), false))).toBe(
      'Org Admin,read_only,inv-AbCd\u2026wXyZ,345,no,no,yes,3,Success,,01JROOT,active,2026-11-01T00:00:00Z,2027-11-01T00:00:00Z,,0,,10000,0,\r\n',
    );
  });

  test('a batch result row', () => {
    const row = {
      row: 1,
      line: 2,
      status: 'Success' as const,
      name: 'n',
      type: 'admin',
      token: 'inv-x',
      encoded: 'eyJ',
      validDays: 3,
      canInvite: true,
      transferable: false,
      deviceBound: true,
      maxDevices: 2,
      invitationId: 'I',
      expiresAt: 'E',
      parentId: 'P',
      notes: ['a', 'b'],
      email: 'r@x.io',
    };
    expect(csvLine(resultHeader(true)) + csvLine(resultCells(row, true))).toBe(
      'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error,Id,Expires,Parent Id,Row,Line,Notes,Email\r\nn,admin,inv-x,3,yes,no,yes,2,Success,eyJ,,I,E,P,1,2,a; b,r@x.io\r\n',
    );
  });
});
