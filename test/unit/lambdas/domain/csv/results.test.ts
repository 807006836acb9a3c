import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  EXTRA_COLUMNS,
  RESULT_COLUMNS,
  RESULT_COLUMNS_WITH_ENCODED,
  type RowResult,
  csvLine,
  neutraliseCell,
  resultCells,
  resultHeader,
} from '../../../../../lambdas/domain/csv/results';
import { encodeInvitation } from '../../../../../lambdas/domain/encoding';
import { deriveToken, maskToken } from '../../../../../lambdas/domain/tokens';
import { invitation, testKeyRing } from '../../../../support/invitations';

const SPEC_HEADER = 'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Error';
const SPEC_HEADER_WITH_ENCODED =
  'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error';

const TOKEN = `inv-${'A'.repeat(43)}`;
const success: RowResult = {
  row: 1,
  line: 2,
  status: 'Success',
  name: 'Student-1',
  type: 'read_write',
  token: TOKEN,
  encoded: 'eyJ0b2tlbiI6Imludi0uLi4ifQ',
  validDays: 120,
  canInvite: false,
  transferable: false,
  deviceBound: true,
  maxDevices: 2,
  invitationId: '01JSTUDENT0000000000000001',
  expiresAt: '2027-03-21T08:00:00Z',
  parentId: '01JTESTPARENT0000000000000',
  notes: ['maxDevices lowered from 3 to 2: the parent maximum', 'deviceBound set to true: the parent is device-bound'],
  email: 'Student.One@Example.edu',
};

const failed: RowResult = {
  row: 2,
  line: 3,
  status: 'Failed',
  name: 'Ana',
  type: 'boss',
  error: 'line 3, column "Type": must be read_only, read_write or admin (got "boss")',
};

/** Cells keyed by their header, as csv.DictReader would give them. */
const byHeader = (result: RowResult, includeEncoded: boolean) =>
  Object.fromEntries(
    resultHeader(includeEncoded).map((column, at) => [column, resultCells(result, includeEncoded)[at]]),
  );

/** What Python's csv.DictReader reads from the file made of these results. */
const dictReader = (results: RowResult[], includeEncoded: boolean): Record<string, string>[] => {
  const file = [resultHeader(includeEncoded), ...results.map((result) => resultCells(result, includeEncoded))]
    .map(csvLine)
    .join('');
  return parse(file, { columns: true });
};

describe('results header (SPEC §2.2)', () => {
  test('the required columns come exactly as SPEC names them, extras after', () => {
    expect(RESULT_COLUMNS.join(',')).toBe(SPEC_HEADER);
    expect(RESULT_COLUMNS_WITH_ENCODED.join(',')).toBe(SPEC_HEADER_WITH_ENCODED);
    expect(resultHeader(false).join(',')).toBe(`${SPEC_HEADER},Id,Expires,Parent Id,Row,Line,Notes,Email`);
    expect(resultHeader(true).join(',')).toBe(`${SPEC_HEADER_WITH_ENCODED},Id,Expires,Parent Id,Row,Line,Notes,Email`);
    expect(EXTRA_COLUMNS).toEqual(['Id', 'Expires', 'Parent Id', 'Row', 'Line', 'Notes', 'Email']);
  });
});

describe('result rows (SPEC §2.2)', () => {
  test('a successful row puts every value under its own header', () => {
    expect(byHeader(success, true)).toEqual({
      Name: 'Student-1',
      Type: 'read_write',
      Token: success.token,
      'Valid Days': '120',
      'Can Invite': 'no',
      Transferable: 'no',
      'Device Bound': 'yes',
      'Max Devices': '2',
      Status: 'Success',
      'Encoded Data': success.encoded,
      Error: '',
      Id: '01JSTUDENT0000000000000001',
      Expires: '2027-03-21T08:00:00Z',
      'Parent Id': '01JTESTPARENT0000000000000',
      Row: '1',
      Line: '2',
      Notes: 'maxDevices lowered from 3 to 2: the parent maximum; deviceBound set to true: the parent is device-bound',
      Email: 'Student.One@Example.edu',
    });
  });

  test('without encoded data requested there is no Encoded Data column, even when a value is given', () => {
    const cells = byHeader(success, false);
    expect(cells).not.toHaveProperty('Encoded Data');
    expect(resultCells(success, false)).toHaveLength(17);
    expect(resultCells(success, false)).not.toContain(success.encoded);
    expect(cells.Status).toBe('Success');
    expect(cells.Error).toBe('');
  });

  test('a failed row leaves what it never got empty', () => {
    expect(byHeader(failed, true)).toEqual({
      Name: 'Ana',
      Type: 'boss',
      Token: '',
      'Valid Days': '',
      'Can Invite': '',
      Transferable: '',
      'Device Bound': '',
      'Max Devices': '',
      Status: 'Failed',
      'Encoded Data': '',
      Error: failed.error,
      Id: '',
      Expires: '',
      'Parent Id': '',
      Row: '2',
      Line: '3',
      Notes: '',
      Email: '',
    });
  });

  test('the seeds notification script reads Status, Name, Encoded Data and Valid Days by name', () => {
    const awkward: RowResult = { ...success, name: 'Lopez, "Ana"\nJr.', validDays: 365, row: 3, line: 9 };
    const rows = dictReader([success, failed, awkward], true);
    expect(rows).toHaveLength(3);
    const sent = rows.filter((row) => row.Status === 'Success');
    expect(sent.map((row) => [row.Name, row['Encoded Data'], row['Valid Days']])).toEqual([
      ['Student-1', success.encoded, '120'],
      ['Lopez, "Ana"\nJr.', success.encoded, '365'],
    ]);
    expect(rows[1]).toMatchObject({ Status: 'Failed', Name: 'Ana', 'Encoded Data': '', Error: failed.error });
  });

  test('an export hands out masked hints: Token as given, Encoded Data empty', () => {
    const hint = maskToken(TOKEN);
    const { encoded: _encoded, ...exported } = { ...success, token: hint };
    const [row] = dictReader([exported], true);
    expect(row).toMatchObject({ Token: hint, 'Encoded Data': '' });
    expect(hint).toMatch(/^inv-.{4}….{4}$/);
  });
});

describe('formula neutralisation (SPEC §2.2)', () => {
  test.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+1', "'+1"],
    ['-x', "'-x"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
  ])('a text cell %j becomes %j', (value, neutralised) => {
    expect(neutraliseCell(value)).toBe(neutralised);
  });

  test.each(['Student-1', 'x=1', ' =x', "'=x", '', 'inv-AbCd…wXyZ'])('%j is left as it is', (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });

  test('every text column is neutralised; numbers, including negative ones, are left alone', () => {
    const hostile: RowResult = {
      row: 4,
      line: 5,
      status: 'Failed',
      name: "=cmd|' /C calc'!A0",
      type: '+admin',
      token: '@token',
      encoded: '-encoded',
      validDays: -5,
      maxDevices: 2,
      invitationId: '=id',
      expiresAt: '-2027',
      parentId: '@parent',
      error: '=HYPERLINK("http://evil")',
      notes: ['\tnote', 'second'],
      email: '=cmd@x.io',
    };
    expect(byHeader(hostile, true)).toMatchObject({
      Name: "'=cmd|' /C calc'!A0",
      Type: "'+admin",
      Token: "'@token",
      'Encoded Data': "'-encoded",
      Id: "'=id",
      Expires: "'-2027",
      'Parent Id': "'@parent",
      Error: `'=HYPERLINK("http://evil")`,
      Notes: "'\tnote; second",
      Email: "'=cmd@x.io",
      'Valid Days': '-5',
      'Max Devices': '2',
      Row: '4',
      Line: '5',
    });
  });

  test('real tokens and encoded invitations are never altered', () => {
    const ring = testKeyRing();
    for (let generation = 1; generation <= 200; generation++) {
      const id = `01J${randomBytes(12).toString('hex').toUpperCase().slice(0, 23)}`;
      const token = deriveToken(ring, 'k1', id, generation);
      const encoded = encodeInvitation(invitation({ id, name: '=evil' }), token, ring);
      expect(neutraliseCell(token)).toBe(token);
      expect(neutraliseCell(encoded)).toBe(encoded);
      expect(neutraliseCell(maskToken(token))).toBe(maskToken(token));
      expect(encoded.startsWith('eyJ')).toBe(true);
    }
  });
});

describe('csvLine (RFC 4180)', () => {
  test('plain cells are joined with commas and end in CRLF', () => {
    expect(csvLine(['Student-1', 'read_write', '120', ''])).toBe('Student-1,read_write,120,\r\n');
  });

  test('commas, quotes and every kind of line break are quoted; quotes are doubled', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\ronly', 'crlf\r\nx', ' spaced '])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\ronly","crlf\r\nx", spaced \r\n',
    );
  });

  test('what it writes reads back as the same cells', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', 'cr\ronly', "'=x", '', 'Zoë 🎉'];
    expect(parse(csvLine(cells))).toEqual([cells]);
  });
});
