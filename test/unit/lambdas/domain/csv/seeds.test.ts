import { parse } from 'csv-parse/sync';
import { type ColumnMapping, type RowOutcome, mapHeader, parseRow } from '../../../../../lambdas/domain/csv/input';
import { DEFAULT_CSV_LIMITS, readCsvRecords } from '../../../../../lambdas/domain/csv/reader';
import { csvLine, resultCells, resultHeader } from '../../../../../lambdas/domain/csv/results';
import { fixture, inPieces } from '../../../../fixtures/csv/sources';

/** A seeds CSV as the batch pipeline reads it: header, then each data row through the row rules. */
async function outcomesOf(name: string): Promise<{ line: number; outcome: RowOutcome }[]> {
  const records = readCsvRecords(inPieces(fixture(name), 16), DEFAULT_CSV_LIMITS, { hasHeader: true });
  const outcomes = [];
  let mapping: ColumnMapping | undefined;
  for await (const record of records) {
    if (!mapping) mapping = mapHeader(record.cells);
    else outcomes.push({ line: record.line, outcome: parseRow(mapping, record) });
  }
  return outcomes;
}

const requestsOf = async (name: string) =>
  (await outcomesOf(name)).map(({ outcome }) => (outcome.ok ? outcome.request : outcome.error));

describe("the seeds' CSV files (batch-invitation-admin-guide.md)", () => {
  test('the class template: its {{ID}} placeholder is a literal name', async () => {
    expect(await requestsOf('class-template.csv')).toEqual([
      {
        name: 'Student-{{ID}}',
        type: 'read_write',
        validDays: 120,
        canInvite: false,
        transferable: false,
        deviceBound: true,
        maxDevices: 2,
      },
    ]);
  });

  test('the generation script output: Student-1..25 on lines 2..26, all alike', async () => {
    const outcomes = await outcomesOf('class-invitations.csv');
    expect(outcomes.map(({ line }) => line)).toEqual(Array.from({ length: 25 }, (_, at) => at + 2));
    expect(outcomes.map(({ outcome }) => outcome)).toEqual(
      Array.from({ length: 25 }, (_, at) => ({
        ok: true,
        request: {
          name: `Student-${at + 1}`,
          type: 'read_write',
          validDays: 120,
          canInvite: false,
          transferable: false,
          deviceBound: true,
          maxDevices: 2,
        },
        echo: { name: `Student-${at + 1}`, type: 'read_write' },
      })),
    );
  });

  test('the enterprise departments: four admins for a year, three devices each', async () => {
    const department = (name: string) => ({
      name,
      type: 'admin',
      validDays: 365,
      canInvite: true,
      transferable: false,
      deviceBound: true,
      maxDevices: 3,
    });
    expect(await requestsOf('enterprise-departments.csv')).toEqual(
      ['Engineering-Admin', 'Marketing-Admin', 'Finance-Admin', 'HR-Admin'].map(department),
    );
  });

  test('the open-source tiers, with {{name}} placeholders kept as written', async () => {
    expect(await requestsOf('open-source-tiers.csv')).toEqual([
      {
        name: 'Core-Contributor-{{name}}',
        type: 'read_write',
        validDays: 365,
        canInvite: true,
        transferable: false,
        deviceBound: true,
        maxDevices: 3,
      },
      {
        name: 'Regular-Contributor-{{name}}',
        type: 'read_write',
        validDays: 180,
        canInvite: false,
        transferable: false,
        deviceBound: true,
        maxDevices: 2,
      },
      {
        name: 'First-Time-Contributor-{{name}}',
        type: 'read_only',
        validDays: 60,
        canInvite: false,
        transferable: false,
        deviceBound: true,
        maxDevices: 1,
      },
    ]);
  });

  test('the HR conversion script output (Python csv.writer: CRLF, unquoted numbers)', async () => {
    const hr = (name: string, type: string, validDays: number) => ({
      name,
      type,
      validDays,
      canInvite: type === 'admin',
      transferable: false,
      deviceBound: true,
      maxDevices: 2,
    });
    expect(await requestsOf('hr-invitations.csv')).toEqual([
      hr('Ana-Lopez', 'read_write', 90),
      hr("Ben-O'Neil", 'admin', 1316),
      hr('Chloé-Dubois', 'read_only', 30),
      hr('Dana, Jr.-Kim', 'read_write', 90),
      hr('Eli-Cohen', 'admin', 90),
    ]);
  });

  test('their results read back by name, in input order, as the notification script reads them', async () => {
    const results = (await outcomesOf('hr-invitations.csv')).map(({ line, outcome }, at) => ({
      row: at + 1,
      line,
      status: 'Success' as const,
      ...(outcome.ok ? outcome.request : outcome.echo),
      encoded: `eyJ${at}`,
    }));
    const file = [resultHeader(true), ...results.map((result) => resultCells(result, true))].map(csvLine).join('');
    const rows: Record<string, string>[] = parse(file, { columns: true });
    expect(rows.map((row) => [row.Status, row.Name, row['Encoded Data'], row['Valid Days']])).toEqual([
      ['Success', 'Ana-Lopez', 'eyJ0', '90'],
      ['Success', "Ben-O'Neil", 'eyJ1', '1316'],
      ['Success', 'Chloé-Dubois', 'eyJ2', '30'],
      ['Success', 'Dana, Jr.-Kim', 'eyJ3', '90'],
      ['Success', 'Eli-Cohen', 'eyJ4', '90'],
    ]);
  });
});
