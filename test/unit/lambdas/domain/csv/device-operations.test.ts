import { Readable } from 'node:stream';
import {
  type OperationColumns,
  type ParsedOperation,
  mapOperationsHeader,
  parseOperationRow,
  positionalOperationColumns,
  shownReference,
} from '../../../../../lambdas/domain/csv/device-operations';
import { DEFAULT_CSV_LIMITS, FileRejection, readCsvRecords } from '../../../../../lambdas/domain/csv/reader';
import type { DeviceOperation } from '../../../../../lambdas/domain/job';

const TOKEN = `inv-${'Q'.repeat(39)}wXyZ`;
const INVITATION_ID = '01JTESTPARENT0000000000000';
const HEADER = 'Device ID,Token,Name,Operation';

/** Parses a whole file as the job does: the header (or the positional layout), then each data row. */
async function parseFile(
  csv: string,
  options: { fileOperation?: DeviceOperation; hasHeader?: boolean } = {},
): Promise<{ layout: OperationColumns; rows: ParsedOperation[] }> {
  const { fileOperation, hasHeader = true } = options;
  let layout = hasHeader ? undefined : positionalOperationColumns();
  const rows: ParsedOperation[] = [];
  for await (const record of readCsvRecords(Readable.from([csv]), DEFAULT_CSV_LIMITS, { hasHeader })) {
    if (!layout) layout = mapOperationsHeader(record.cells);
    else rows.push(parseOperationRow(layout, record, fileOperation));
  }
  return { layout: layout!, rows };
}

const errorOf = (row: ParsedOperation | undefined) => (row && !row.ok ? row.error : undefined);

describe('device operations header (SPEC §2.3)', () => {
  test('columns are matched by name, ignoring case, spaces, _ and -, in any order; others are ignored', async () => {
    const { layout, rows } = await parseFile(
      `operation, TOKEN ,device_id,Notes,NAME\r\nRevoke,${TOKEN},dev-1,x,Lab\r\n`,
    );
    expect(layout.ignoredColumns).toEqual(['Notes']);
    expect(rows).toEqual([
      {
        line: 2,
        ok: true,
        echo: { deviceId: 'dev-1', token: 'inv-QQQQ…wXyZ', name: 'Lab', operation: 'revoke' },
        request: { deviceId: 'dev-1', invitationRef: TOKEN, operation: 'revoke' },
      },
    ]);
  });

  test('Name and Operation columns are optional', async () => {
    const { rows } = await parseFile(`Device-ID,Token\ndev-1,${INVITATION_ID}\n`, { fileOperation: 'info' });
    expect(rows[0]).toMatchObject({ ok: true, request: { deviceId: 'dev-1', invitationRef: INVITATION_ID } });
  });

  test.each([
    ['Token', 'Device ID,Name,Operation'],
    ['Device ID', 'Token,Name,Operation'],
    ['Device ID and no Token', 'Name,Type,Operation'],
  ])('a header without %s refuses the whole file', async (missing, header) => {
    const refusal = parseFile(`${header}\na,b,c\n`);
    await expect(refusal).rejects.toThrow(FileRejection);
    await expect(refusal).rejects.toMatchObject({
      reason: 'no_header_columns',
      message: expect.stringContaining(missing),
    });
  });

  test('a data row taken for a header is refused without its token in the message', async () => {
    const refusal = parseFile(`dev-1,${TOKEN},Lab,revoke\n`);
    await expect(refusal).rejects.toMatchObject({
      message: expect.stringContaining('"dev-1,inv-QQQQ…wXyZ,Lab,revoke"'),
    });
    await expect(refusal).rejects.not.toMatchObject({ message: expect.stringContaining(TOKEN) });
  });

  test('a column given twice refuses the whole file', async () => {
    await expect(parseFile(`Device ID,Token,token\na,b,c\n`)).rejects.toMatchObject({ reason: 'duplicate_columns' });
  });
});

describe('device operations rows (SPEC §2.3)', () => {
  test("a row's own operation wins; the file's operation fills rows that name none", async () => {
    const csv = [HEADER, `dev-1,${TOKEN},,VALIDATE`, `dev-2,${TOKEN},,`, `dev-3,${TOKEN},, info `].join('\n');
    const { rows } = await parseFile(csv, { fileOperation: 'revoke' });
    expect(rows.map((row) => row.ok && row.request.operation)).toEqual(['validate', 'revoke', 'info']);
  });

  test('an unknown operation is a row error naming line, column and value, whatever the file says', async () => {
    const csv = [HEADER, '', `dev-1,${TOKEN},,nuke`].join('\r\n');
    const { rows } = await parseFile(csv, { fileOperation: 'revoke' });
    expect(rows[0]).toMatchObject({ ok: false, line: 3, echo: { operation: 'nuke' } });
    expect(errorOf(rows[0])).toBe('line 3, column "Operation": must be revoke, validate or info (got "nuke")');
  });

  test('a missing operation with none for the whole file is a row error, never a revoke', async () => {
    const { rows } = await parseFile([HEADER, `dev-1,${TOKEN},,`].join('\n'));
    expect(errorOf(rows[0])).toMatch(
      /^line 2, column "Operation": is empty and no operation was given for the whole file/,
    );
    const withoutColumn = await parseFile(`Device ID,Token\ndev-1,${TOKEN}\n`);
    expect(errorOf(withoutColumn.rows[0])).toMatch(/^line 2, column "Operation": is missing/);
  });

  test('Device ID and Token are required and checked; every problem of a row is named, the token never echoed', async () => {
    const csv = [HEADER, `,${TOKEN},,info`, 'dev 1,,,info', `dev-1,not-a-token-${TOKEN},,info`].join('\n');
    const { rows } = await parseFile(csv);
    expect(rows.map(errorOf)).toEqual([
      'line 2, column "Device ID": is required',
      'line 3, column "Device ID": must be 1-128 letters, digits or . _ : - (got "dev 1"); line 3, column "Token": is required',
      'line 4, column "Token": must be an invitation token (inv-…) or an invitation id (26 letters and digits)',
    ]);
    expect(JSON.stringify(rows)).not.toContain(TOKEN.slice(8, -4));
  });

  test('a token in another column (columns swapped) is never shown whole', async () => {
    const { rows } = await parseFile([HEADER, `${TOKEN},dev-1,${TOKEN},${TOKEN}`].join('\n'));
    expect(rows[0]).toMatchObject({
      ok: false,
      echo: { deviceId: 'inv-QQQQ…wXyZ', token: 'dev-1', name: 'inv-QQQQ…wXyZ', operation: 'inv-QQQQ…wXyZ' },
    });
    expect(errorOf(rows[0])).toMatch(/^line 2, column "Device ID": must be 1-128 letters.*\(got "inv-QQQQ…wXyZ"\)/);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
  });

  test('column names in errors are the ones the file uses', async () => {
    const { rows } = await parseFile(`device_id,token,op-eration\n,${TOKEN},zap\n`);
    expect(errorOf(rows[0])).toBe(
      'line 2, column "device_id": is required; line 2, column "op-eration": must be revoke, validate or info (got "zap")',
    );
  });

  test('a row with a different number of cells than the header is a row error for that row only', async () => {
    const { rows } = await parseFile([HEADER, `dev-1,${TOKEN},info`, `dev-2,${TOKEN},,info`].join('\n'));
    expect(errorOf(rows[0])).toBe('line 2: expected 4 cells, found 3');
    expect(rows[1]!.ok).toBe(true);
  });

  test('without a header the order is Device ID,Token,Name,Operation, the optional columns left off at will', async () => {
    const csv = [`dev-1,${TOKEN}`, `dev-2,${INVITATION_ID},Lab`, `dev-3,${TOKEN},Lab,validate`, 'a,b,c,d,e'].join('\n');
    const { rows } = await parseFile(csv, { hasHeader: false, fileOperation: 'info' });
    expect(rows.slice(0, 3).map((row) => row.ok && [row.line, row.request.operation, row.echo.name])).toEqual([
      [1, 'info', ''],
      [2, 'info', 'Lab'],
      [3, 'validate', 'Lab'],
    ]);
    expect(errorOf(rows[3])).toBe('line 4: expected 2 to 4 cells, found 5');
  });
});

describe('how a result shows the Token cell', () => {
  test('a token as its masked hint, an id as given, never a long secret-like value whole', () => {
    expect(shownReference(TOKEN)).toBe('inv-QQQQ…wXyZ');
    expect(shownReference(INVITATION_ID)).toBe(INVITATION_ID);
    expect(shownReference('Q'.repeat(43))).toBe('QQQQQQQQ…QQQQ');
    expect(shownReference('inv-short')).toBe('inv-short');
  });
});
