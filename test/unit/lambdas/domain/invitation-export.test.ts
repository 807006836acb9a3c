import { parse } from 'csv-parse/sync';
import { type ExportRow, csvLine, exportCells, exportHeader } from '../../../../lambdas/domain/csv/results';
import { decodeInvitation } from '../../../../lambdas/domain/encoding';
import type { Invitation } from '../../../../lambdas/domain/invitation';
import { invitationExportRow } from '../../../../lambdas/domain/invitation-export';
import { deriveToken } from '../../../../lambdas/domain/tokens';
import type { ObjectStore } from '../../../../lambdas/ports';
import type { Deps } from '../../../../lambdas/usecases/deps';
import { exportInvitations } from '../../../../lambdas/usecases/jobs/export-invitations';
import { invitation, testKeyRing } from '../../../support/invitations';
import { testJob, testRun } from '../../../support/job-runs';

const uploaded = jest.fn<ReturnType<ObjectStore['writeStream']>, Parameters<ObjectStore['writeStream']>>();

const SPEC_HEADER = 'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Error';
const SPEC_HEADER_WITH_ENCODED =
  'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error';
const EXTRAS =
  'Id,Invitation Status,Created,Expires,Parent Id,Active Devices,Batch Id,Max Descendants,Descendants Created,Email';

const NOW = new Date('2026-11-21T08:00:00Z');
const ring = testKeyRing();
const secrets = { ring, registryApi: 'https://registry.example.edu/registry' };

/** The row's cells keyed by header, as csv.DictReader reads the export. */
function read(row: ExportRow, includeEncoded: boolean): Record<string, string> {
  const file = csvLine(exportHeader(includeEncoded)) + csvLine(exportCells(row, includeEncoded));
  const rows: Record<string, string>[] = parse(file, { columns: true });
  return rows[0]!;
}

describe('invitation export header (SPEC §2.2)', () => {
  test('the required columns exactly as SPEC names them, then the export extras', () => {
    expect(exportHeader(false).join(',')).toBe(`${SPEC_HEADER},${EXTRAS}`);
    expect(exportHeader(true).join(',')).toBe(`${SPEC_HEADER_WITH_ENCODED},${EXTRAS}`);
  });
});

describe('invitation export rows (SPEC §2.2)', () => {
  const live = invitation({
    id: '01JLIVE0000000000000000000',
    tokenGeneration: 2,
    parentId: '01JTESTPARENT0000000000000',
    batchId: '01JBATCH000000000000000000',
    activeDevices: 2,
    expiresAt: '2026-12-01T08:00:00Z',
    email: 'Org.Admin@Example.org',
  });

  test('every value under its own header; without secrets asked for, the masked hint and no encoded data', () => {
    expect(read(invitationExportRow(live, NOW), false)).toEqual({
      Name: 'Org Admin',
      Type: 'admin',
      Token: 'inv-AbCd…wXyZ',
      'Valid Days': '10',
      'Can Invite': 'yes',
      Transferable: 'no',
      'Device Bound': 'yes',
      'Max Devices': '3',
      Status: 'Success',
      Error: '',
      Id: '01JLIVE0000000000000000000',
      'Invitation Status': 'active',
      Created: '2026-11-01T00:00:00Z',
      Expires: '2026-12-01T08:00:00Z',
      'Parent Id': '01JTESTPARENT0000000000000',
      'Active Devices': '2',
      'Batch Id': '01JBATCH000000000000000000',
      'Max Descendants': '10000',
      'Descendants Created': '0',
      Email: 'Org.Admin@Example.org',
    });
    expect(read(invitationExportRow(live, NOW), true)['Encoded Data']).toBe('');
  });

  test('with secrets, a live invitation carries its current token and a valid encoded invitation', () => {
    const cells = read(invitationExportRow(live, NOW, secrets), true);
    const token = deriveToken(ring, 'k1', live.id, 2);
    expect(cells.Token).toBe(token);
    expect(decodeInvitation(cells['Encoded Data']!, ring)).toMatchObject({
      token,
      id: live.id,
      registry_api: secrets.registryApi,
      parent_token: '01JTESTPARENT0000000000000',
    });
  });

  test.each<[string, Partial<Invitation>]>([
    ['revoked', { status: 'revoked' }],
    ['suspended', { status: 'suspended' }],
    ['expired', { expiresAt: '2026-11-21T07:59:59Z' }],
  ])('even with secrets, an invitation that is %s shows only its hint: its token is dead', (status, overrides) => {
    const cells = read(invitationExportRow({ ...live, ...overrides }, NOW, secrets), true);
    expect(cells).toMatchObject({ Token: 'inv-AbCd…wXyZ', 'Encoded Data': '', 'Invitation Status': status });
  });

  test.each([
    ['2026-11-23T08:00:00Z', '2'],
    ['2026-11-23T08:00:01Z', '3'],
    ['2026-11-21T08:00:01Z', '1'],
    ['2026-11-21T08:00:00Z', '0'],
    ['2025-01-01T00:00:00Z', '0'],
  ])('expiring at %s leaves %s valid days (rounded up, 0 once expired)', (expiresAt, days) => {
    expect(read(invitationExportRow({ ...live, expiresAt }, NOW), false)['Valid Days']).toBe(days);
  });

  test.each([`=cmd|' /C calc'!A0`, '+1', '-1', '@A1', '\tx', '\rx'])(
    'a name starting with %j is neutralised; numbers such as Max Devices are left alone',
    (hostile) => {
      const cells = read(invitationExportRow({ ...live, name: hostile }, NOW), false);
      expect(cells.Name).toBe(`'${hostile}`);
      expect(cells['Max Devices']).toBe('3');
      expect(cells['Active Devices']).toBe('2');
    },
  );
});

describe('the export streams', () => {
  const COUNT = 50_000;
  const MAX_AHEAD = 2_000;

  test(`${COUNT.toLocaleString('en-US')} invitations reach a slow consumer in order, never more than ${MAX_AHEAD} rows ahead`, async () => {
    let produced = 0;
    let consumed = 0;
    let mostAhead = 0;
    async function* invitations(): AsyncGenerator<Invitation> {
      for (let n = 0; n < COUNT; n++) {
        produced++;
        mostAhead = Math.max(mostAhead, produced - consumed);
        yield invitation({ id: `01JSTREAM${String(n).padStart(17, '0')}`, name: `Student-${n}` });
      }
    }
    const outOfOrder: string[] = [];
    uploaded.mockImplementation(async (_key: string, lines: AsyncIterable<string>) => {
      let rows = -1; // the header comes first
      for await (const line of lines) {
        if (rows >= 0 && !line.startsWith(`Student-${rows},`)) outOfOrder.push(line);
        consumed = ++rows;
        // A slow consumer: the next line is taken only after the event loop has had a turn.
        if (rows % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const deps = { scan: { invitations }, objects: { writeStream: uploaded }, now: () => NOW } as unknown as Deps;
    const job = testJob('invitation-export');

    const outcome = await exportInvitations(deps, testRun(job));

    expect(uploaded).toHaveBeenCalledWith(`jobs/${job.id}.csv`, expect.anything(), 'text/csv; charset=utf-8');
    expect(consumed).toBe(COUNT);
    expect(outOfOrder).toEqual([]);
    expect(mostAhead).toBeLessThanOrEqual(MAX_AHEAD);
    expect(outcome).toEqual({
      progress: { processed: COUNT, succeeded: COUNT, failed: 0 },
      resultKey: `jobs/${job.id}.csv`,
      summary: {
        invitations: COUNT,
        'status.active': COUNT,
        'status.suspended': 0,
        'status.revoked': 0,
        'status.expired': 0,
        'type.read_only': 0,
        'type.read_write': 0,
        'type.admin': COUNT,
        expiringWithin7Days: 0,
        expiringWithin30Days: 0,
      },
    });
  });
});
