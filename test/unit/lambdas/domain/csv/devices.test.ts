import { parse } from 'csv-parse/sync';
import {
  DEVICE_RESULT_COLUMNS,
  type DeviceRow,
  deviceResultCells,
  deviceRow,
  formatDetails,
} from '../../../../../lambdas/domain/csv/devices';
import { csvLine } from '../../../../../lambdas/domain/csv/results';
import type { Device } from '../../../../../lambdas/domain/device';
import { invitation } from '../../../../support/invitations';

const SPEC_HEADER = 'Device ID,Token,Invitation Name,Operation,Status,Registered At,Last Seen,Details,Error';
const NOW = new Date('2026-11-21T08:00:00Z');
const HOSTILE = `=cmd|' /C calc'!A0`;

const laptop: Device = {
  invitationId: '01JTESTPARENT0000000000000',
  deviceId: 'device-AAAAAAAAAAAAAAAAAAAAAA',
  hostname: 'lab-07.example.edu',
  username: 'ana',
  label: 'Lab laptop',
  fingerprintHash: 'ab'.repeat(32),
  status: 'active',
  registeredAt: '2026-11-02T09:00:00Z',
  lastSeenAt: '2026-11-20T17:30:00Z',
};

/** The row's cells keyed by header, as csv.DictReader reads the file. */
function read(row: DeviceRow): Record<string, string> {
  const rows: Record<string, string>[] = parse(csvLine([...DEVICE_RESULT_COLUMNS]) + csvLine(deviceResultCells(row)), {
    columns: true,
  });
  return rows[0]!;
}

describe('device results layout (SPEC §2.4)', () => {
  test('the header is exactly the SPEC names in order', () => {
    expect(DEVICE_RESULT_COLUMNS.join(',')).toBe(SPEC_HEADER);
  });

  test('a device row puts every value under its own header, the token as its hint, real times', () => {
    const row = deviceRow(invitation(), laptop, NOW, { token: 'inv-AbCd…wXyZ', operation: 'info' });
    expect(read(row)).toEqual({
      'Device ID': 'device-AAAAAAAAAAAAAAAAAAAAAA',
      Token: 'inv-AbCd…wXyZ',
      'Invitation Name': 'Org Admin',
      Operation: 'info',
      Status: 'Success',
      'Registered At': '2026-11-02T09:00:00Z',
      'Last Seen': '2026-11-20T17:30:00Z',
      Details:
        'invitation_id: 01JTESTPARENT0000000000000; invitation_status: active; status: active; ' +
        `hostname: lab-07.example.edu; username: ana; label: Lab laptop; fingerprint: ${'ab'.repeat(32)}`,
      Error: '',
    });
  });

  test('Details keep their fixed order, leave out what is absent, and show the revocation', () => {
    const revoked: Device = {
      ...laptop,
      label: undefined,
      fingerprintHash: undefined,
      status: 'revoked',
      revokedAt: '2026-11-21T07:00:00Z',
      revokedBy: 'arn:aws:iam::000000000000:user/admin',
      revokeReason: 'lost',
    };
    const expired = invitation({ expiresAt: '2026-11-01T00:00:00Z' });
    const row = deviceRow(expired, revoked, NOW, { token: expired.id, operation: 'validate' });
    expect(formatDetails({ ...row.details, reason: 'invitation_expired', valid: false })).toBe(
      'invitation_id: 01JTESTPARENT0000000000000; invitation_status: expired; status: revoked; ' +
        'hostname: lab-07.example.edu; username: ana; revoked_at: 2026-11-21T07:00:00Z; ' +
        'revoked_by: arn:aws:iam::000000000000:user/admin; revoke_reason: lost; valid: no; reason: invitation_expired',
    );
  });

  test('a semicolon or backslash inside a value is escaped, so the list splits on "; " alone', () => {
    expect(formatDetails({ label: 'a; b', hostname: 'c\\d' })).toBe('hostname: c\\\\d; label: a\\; b');
  });

  test.each([HOSTILE, '+1+1', '-2-2', '@SUM(A1)', '\tTab', '\rReturn'])(
    'text starting with %j comes out prefixed with a quote, in its cell and inside Details',
    (hostile) => {
      const device = { ...laptop, hostname: hostile, username: hostile, label: hostile };
      const row = deviceRow(invitation({ name: hostile }), device, NOW, { token: 'inv-AbCd…wXyZ', operation: 'info' });
      const cells = read({ ...row, deviceId: hostile, error: hostile });
      expect(cells['Device ID']).toBe(`'${hostile}`);
      expect(cells['Invitation Name']).toBe(`'${hostile}`);
      expect(cells.Error).toBe(`'${hostile}`);
      expect(cells.Details).toContain(`hostname: '${hostile}; username: '${hostile}; label: '${hostile}`);
    },
  );

  test('Token and Operation cells as given are neutralised too; Status is ours', () => {
    expect(read({ deviceId: 'd', token: '=x', operation: '+info', status: 'Failed' })).toMatchObject({
      Token: "'=x",
      Operation: "'+info",
      Status: 'Failed',
      Details: '',
    });
  });
});
