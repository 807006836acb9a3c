import {
  type ColumnMapping,
  ECHO_MAX_CHARACTERS,
  MAX_CELL_CHARACTERS,
  SEED_COLUMNS,
  mapHeader,
  parseRow,
  positionalMapping,
  unknownColumnsWarning,
} from '../../../../../lambdas/domain/csv/input';
import { FileRejection } from '../../../../../lambdas/domain/csv/reader';

const seedMapping = () => mapHeader([...SEED_COLUMNS]);
const row = (mapping: ColumnMapping, cells: string[], line = 4) => parseRow(mapping, { cells, line });
const errorOf = (mapping: ColumnMapping, cells: string[], line = 4) => {
  const outcome = row(mapping, cells, line);
  if (outcome.ok) throw new Error(`expected a row error, got ${JSON.stringify(outcome.request)}`);
  return outcome.error;
};
const BASE_ROW: Record<(typeof SEED_COLUMNS)[number], string> = {
  Name: 'Ana',
  Type: 'read_write',
  ValidDays: '',
  CanInvite: '',
  Transferable: '',
  DeviceBound: '',
  MaxDevices: '',
};
/** A row in the seed layout: Ana, read_write, defaults elsewhere, with some cells changed. */
const seedRow = (changes: Partial<typeof BASE_ROW>) =>
  SEED_COLUMNS.map((column) => ({ ...BASE_ROW, ...changes })[column]);

const rejectionOf = (action: () => unknown): FileRejection => {
  try {
    action();
  } catch (error) {
    if (error instanceof FileRejection) return error;
    throw error;
  }
  throw new Error('expected a FileRejection');
};

describe('header mapping (SPEC §2.1)', () => {
  test('the seeds header maps every column in order', () => {
    expect(seedMapping()).toEqual({
      fields: ['name', 'type', 'validDays', 'canInvite', 'transferable', 'deviceBound', 'maxDevices'],
      unknownColumns: [],
      width: 7,
      headers: ['Name', 'Type', 'ValidDays', 'CanInvite', 'Transferable', 'DeviceBound', 'MaxDevices'],
    });
  });

  test('names match ignoring case, spaces, _ and -, in any order', () => {
    const mapping = mapHeader([
      'MAXDEVICES',
      'valid_days',
      ' type ',
      'Can-Invite',
      'device bound',
      'TRANSFER_able',
      'name',
    ]);
    expect(mapping.fields).toEqual([
      'maxDevices',
      'validDays',
      'type',
      'canInvite',
      'deviceBound',
      'transferable',
      'name',
    ]);
    expect(mapHeader(['Name', 'Type', 'Valid Days']).fields[2]).toBe('validDays');
  });

  test('only Name and Type are needed; unknown columns are listed once, as written', () => {
    const mapping = mapHeader(['Phone', 'Name', 'Team', 'Type', 'Phone', '', ' Team ']);
    expect(mapping.fields).toEqual([undefined, 'name', undefined, 'type', undefined, undefined, undefined]);
    expect(mapping.unknownColumns).toEqual(['Phone', 'Team', 'column 6 (no header)']);
    expect(mapping.width).toBe(7);
  });

  test.each([
    [['Type', 'ValidDays'], 'The header has no Name column (header: "Type,ValidDays").'],
    [['Name', 'Kind'], 'The header has no Type column (header: "Name,Kind").'],
    [['Ana', 'admin', '30'], 'The header has no Name and no Type column (header: "Ana,admin,30").'],
  ])('a header without a required column is refused: %j', (header, start) => {
    const rejection = rejectionOf(() => mapHeader(header));
    expect(rejection.reason).toBe('no_header_columns');
    expect(rejection.message).toBe(`${start} If the file has no header row, send it with hasHeader=false.`);
  });

  test('two columns for one field are refused as ambiguous, naming both', () => {
    const rejection = rejectionOf(() => mapHeader(['Name', 'Type', 'ValidDays', 'valid_days']));
    expect(rejection.reason).toBe('duplicate_columns');
    expect(rejection.message).toBe('The header has 2 ValidDays columns: "ValidDays", "valid_days". Keep one of them.');
  });

  test('without a header the seed columns are positional', () => {
    expect(positionalMapping()).toEqual(seedMapping());
  });

  test('Email is matched by name, in any position and spelling, but never by position', () => {
    expect(mapHeader(['E-Mail', 'Name', 'Type']).fields).toEqual(['email', 'name', 'type']);
    expect(mapHeader([...SEED_COLUMNS, ' email ']).fields.at(-1)).toBe('email');
    expect(mapHeader([...SEED_COLUMNS, 'Email']).unknownColumns).toEqual([]);
    expect(positionalMapping().fields).not.toContain('email');
    expect(rejectionOf(() => mapHeader(['Name', 'Type', 'Email', 'e_mail'])).reason).toBe('duplicate_columns');
  });
});

describe('the Email column (SPEC §2.1, §4.8)', () => {
  const withEmail = () => mapHeader(['Name', 'Type', 'Email']);

  test.each([
    ['ana@example.com'],
    ['Ana.Lopez+cs101@Example.EDU'],
    ["o'brien@mail.example.co.uk"],
    ['josé@exemple.fr'],
    ['ana@xn--bcher-kva.example'],
    [`inv-${'A'.repeat(43)}@example.com`],
  ])('%s is taken exactly as written', (email) => {
    expect(row(withEmail(), ['Ana', 'ro', ` ${email}\t`])).toEqual({
      ok: true,
      request: { name: 'Ana', type: 'read_only', email },
      echo: { name: 'Ana', type: 'ro' },
    });
  });

  test('an empty cell leaves the invitation without an address', () => {
    expect(row(withEmail(), ['Ana', 'ro', '  '])).toMatchObject({
      ok: true,
      request: { name: 'Ana', type: 'read_only' },
    });
  });

  test.each([
    ['ana', 'must look like local@domain.tld'],
    ['ana@localhost', 'must look like local@domain.tld'],
    ['ana@@example.com', 'must look like local@domain.tld'],
    ['Ana Lopez <ana@example.com>', 'must be the address alone, without a display name, quotes or <>'],
    ['ana@example.com, bo@example.com', 'must be a single address (no commas or semicolons)'],
    ['ana@example.com;bo@example.com', 'must be a single address (no commas or semicolons)'],
    ['ana lopez@example.com', 'must not contain spaces'],
  ])('%j is a row error naming the Email column and its line', (email, problem) => {
    expect(errorOf(withEmail(), ['Ana', 'ro', email], 6)).toBe(`line 6, column "Email": ${problem} (got "${email}")`);
  });

  test('a token pasted as an address is refused like any text that is not one', () => {
    expect(errorOf(withEmail(), ['Ana', 'ro', `inv-${'A'.repeat(43)}`], 2)).toMatch(
      /^line 2, column "Email": must look like local@domain.tld/,
    );
  });

  test('a 20 KB cell is one row error for its length, read no further', () => {
    expect(errorOf(withEmail(), ['Ana', 'ro', `${'a'.repeat(20_470)}@example.com`], 3)).toBe(
      'line 3, column "Email": is 20,482 characters long, more than the 1,000 a cell may hold',
    );
  });

  test('a formula-shaped address is a plausible address: kept as written (the results file neutralises it)', () => {
    expect(row(withEmail(), ['Ana', 'ro', '=cmd@x.io'])).toMatchObject({ ok: true, request: { email: '=cmd@x.io' } });
  });

  test('a bad address fails its row, with the problems of the other cells', () => {
    expect(errorOf(withEmail(), ['Ana', 'boss', 'ana@'], 4)).toBe(
      'line 4, column "Type": must be read_only, read_write or admin (or ro, rw, readonly, readwrite, administrator) ' +
        '(got "boss"); line 4, column "Email": must look like local@domain.tld (got "ana@")',
    );
  });
});

describe('row rules (SPEC §2.1)', () => {
  test('a full seeds row becomes the request it describes', () => {
    expect(row(seedMapping(), ['Engineering-Admin', 'admin', '365', 'yes', 'no', 'yes', '3'])).toEqual({
      ok: true,
      request: {
        name: 'Engineering-Admin',
        type: 'admin',
        validDays: 365,
        canInvite: true,
        transferable: false,
        deviceBound: true,
        maxDevices: 3,
      },
      echo: { name: 'Engineering-Admin', type: 'admin' },
    });
  });

  test('empty cells leave the field out, so the domain defaults apply; values are trimmed', () => {
    const outcome = row(seedMapping(), ['  Ana Lopez ', ' RO ', ' ', '', '\t', '', ' 2 ']);
    expect(outcome).toEqual({
      ok: true,
      request: { name: 'Ana Lopez', type: 'read_only', maxDevices: 2 },
      echo: { name: 'Ana Lopez', type: 'RO' },
    });
    expect(Object.keys(outcome.ok ? outcome.request : {})).toEqual(['name', 'type', 'maxDevices']);
  });

  test('columns the header lacks take the defaults; unknown columns are ignored', () => {
    const mapping = mapHeader(['Phone', 'Type', 'Name']);
    expect(row(mapping, ['+1 555 0100', 'rw', 'Ana'])).toEqual({
      ok: true,
      request: { name: 'Ana', type: 'read_write' },
      echo: { name: 'Ana', type: 'rw' },
    });
  });

  test.each([
    [['Ana', 'admin', '30', 'yes', 'no'], 'line 7: expected 7 cells, found 5'],
    [['Ana', 'admin', '30', 'yes', 'no', 'yes', '1', 'extra'], 'line 7: expected 7 cells, found 8'],
  ])('a row with another number of cells than the header is a row error: %j', (cells, error) => {
    expect(row(seedMapping(), cells, 7)).toEqual({ ok: false, error, echo: { name: 'Ana', type: 'admin' } });
  });

  test('Name and Type are required', () => {
    expect(errorOf(seedMapping(), seedRow({ Name: '  ', Type: '' }))).toBe(
      'line 4, column "Name": is required; line 4, column "Type": is required',
    );
  });

  test('a name is 1-200 characters, counted as characters, not UTF-16 units', () => {
    const longest = 'é🎉'.repeat(100);
    expect(row(seedMapping(), seedRow({ Name: longest }))).toMatchObject({ ok: true, request: { name: longest } });
    expect(errorOf(seedMapping(), seedRow({ Name: `${'x'.repeat(200)}y` }))).toBe(
      `line 4, column "Name": must be 1-200 characters (got "${'x'.repeat(60)}…")`,
    );
  });

  test.each([
    ['read_only', 'read_only'],
    ['READ_ONLY', 'read_only'],
    ['read-only', 'read_only'],
    ['Read Only', 'read_only'],
    ['readonly', 'read_only'],
    ['RO', 'read_only'],
    ['read_write', 'read_write'],
    ['ReadWrite', 'read_write'],
    ['rw', 'read_write'],
    ['admin', 'admin'],
    ['Administrator', 'admin'],
  ])('type %p is %p', (cell, type) => {
    expect(row(seedMapping(), seedRow({ Type: cell }))).toMatchObject({ ok: true, request: { type } });
  });

  test('an unknown type is a row error listing the accepted spellings', () => {
    expect(errorOf(seedMapping(), seedRow({ Type: 'superuser' }))).toBe(
      'line 4, column "Type": must be read_only, read_write or admin (or ro, rw, readonly, readwrite, administrator) ' +
        '(got "superuser")',
    );
    expect(errorOf(seedMapping(), seedRow({ Type: 'constructor' }))).toContain('(got "constructor")');
  });

  test.each([
    ['yes', true],
    ['YES', true],
    ['y', true],
    ['Y', true],
    ['true', true],
    ['True', true],
    ['t', true],
    ['T', true],
    ['1', true],
    ['no', false],
    ['No', false],
    ['n', false],
    ['N', false],
    ['false', false],
    ['FALSE', false],
    ['f', false],
    ['F', false],
    ['0', false],
  ])('boolean %p is %p in every boolean column', (cell, value) => {
    const outcome = row(seedMapping(), seedRow({ CanInvite: cell, Transferable: cell, DeviceBound: cell }));
    expect(outcome).toMatchObject({ ok: true, request: { canInvite: value, transferable: value, deviceBound: value } });
  });

  test.each(['maybe', 'ja', '2', 'on', 'yes!'])('boolean %p is a row error, never a silent false', (cell) => {
    const mapping = mapHeader(['Name', 'Type', 'can_invite']);
    expect(errorOf(mapping, ['Ana', 'admin', cell], 9)).toBe(
      `line 9, column "can_invite": must be yes or no (or y/n, true/false, t/f, 1/0) (got "${cell}")`,
    );
  });

  test.each([
    ['ValidDays', '1', { validDays: 1 }],
    ['ValidDays', '3650', { validDays: 3650 }],
    ['ValidDays', '007', { validDays: 7 }],
    ['MaxDevices', '1', { maxDevices: 1 }],
    ['MaxDevices', '5', { maxDevices: 5 }],
  ] as const)('%s %p is accepted', (column, cell, request) => {
    expect(row(seedMapping(), seedRow({ [column]: cell }))).toMatchObject({ ok: true, request });
  });

  test.each([
    ['MaxDevices', '2.5', '1 to 5'],
    ['MaxDevices', '0', '1 to 5'],
    ['MaxDevices', '6', '1 to 5'],
    ['MaxDevices', 'two', '1 to 5'],
    ['MaxDevices', '-1', '1 to 5'],
    ['ValidDays', '1e3', '1 to 3650'],
    ['ValidDays', '3651', '1 to 3650'],
    ['ValidDays', '0x10', '1 to 3650'],
    ['ValidDays', '30 days', '1 to 3650'],
  ] as const)('%s %p is a row error naming the range', (column, cell, range) => {
    expect(errorOf(seedMapping(), seedRow({ [column]: cell }))).toBe(
      `line 4, column "${column}": must be a whole number from ${range} (got "${cell}")`,
    );
  });

  test('every problem of a row is reported, in column order, with the column as the header wrote it', () => {
    const mapping = mapHeader(['MAXDEVICES', 'Name', 'Type', 'Valid Days']);
    expect(errorOf(mapping, ['9', 'Ana', 'boss', 'soon'], 12)).toBe(
      'line 12, column "MAXDEVICES": must be a whole number from 1 to 5 (got "9"); ' +
        'line 12, column "Type": must be read_only, read_write or admin (or ro, rw, readonly, readwrite, administrator) ' +
        '(got "boss"); ' +
        'line 12, column "Valid Days": must be a whole number from 1 to 3650 (got "soon")',
    );
  });

  test('a failed row still echoes its Name and Type for the results file', () => {
    expect(row(seedMapping(), seedRow({ Name: ' =cmd ', Type: ' boss ', MaxDevices: '9' }))).toMatchObject({
      ok: false,
      echo: { name: '=cmd', type: 'boss' },
    });
  });

  test('without a header, rows are read in the seed order', () => {
    expect(row(positionalMapping(), ['Student-1', 'read_write', '120', 'no', 'no', 'yes', '2'], 1)).toEqual({
      ok: true,
      request: {
        name: 'Student-1',
        type: 'read_write',
        validDays: 120,
        canInvite: false,
        transferable: false,
        deviceBound: true,
        maxDevices: 2,
      },
      echo: { name: 'Student-1', type: 'read_write' },
    });
    expect(errorOf(positionalMapping(), ['Ana', 'admin'], 1)).toBe('line 1: expected 7 cells, found 2');
  });

  test('a cell longer than MAX_CELL_CHARACTERS is one row error naming its line and column, and read no further', () => {
    const long = 'x'.repeat(20_480);
    expect(errorOf(seedMapping(), seedRow({ Name: long }), 9)).toBe(
      'line 9, column "Name": is 20,480 characters long, more than the 1,000 a cell may hold',
    );
    expect(errorOf(mapHeader(['Name', 'Type', 'Team']), ['Ana', 'ro', long], 3)).toBe(
      'line 3, column "Team": is 20,480 characters long, more than the 1,000 a cell may hold',
    );
    expect(row(seedMapping(), seedRow({ Name: 'n'.repeat(MAX_CELL_CHARACTERS) })).ok).toBe(false);
    expect(row(mapHeader(['Name', 'Type', 'Team']), ['Ana', 'ro', 't'.repeat(MAX_CELL_CHARACTERS)]).ok).toBe(true);
  });

  test('a failed row echoes at most ECHO_MAX_CHARACTERS of its Name, marked as cut', () => {
    const outcome = row(seedMapping(), seedRow({ Name: '名'.repeat(5_000), Type: 'boss' }));
    expect(outcome.echo.name).toBe(`${'名'.repeat(ECHO_MAX_CHARACTERS)}…`);
    expect(outcome.echo.type).toBe('boss');
  });

  test.each([
    ['NUL', 'Al\u0000ice', 'U+0000 at character 3'],
    ['a line break', 'Ana\nLopez', 'U+000A at character 4'],
    ['escape', '\u001b[31mRed', 'U+001B at character 1'],
    ['DEL', 'Ana\u007f', 'U+007F at character 4'],
    ['a C1 control', 'Ana\u0085', 'U+0085 at character 4'],
  ])('a name with %s is a field error, shown with the character made visible', (_what, name, found) => {
    const error = errorOf(seedMapping(), seedRow({ Name: name }), 5);
    expect(error).toContain(`line 5, column "Name": must not contain control characters (found ${found})`);
    expect(error).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/);
  });

  test('a tab inside a name is free text and is kept', () => {
    expect(row(seedMapping(), seedRow({ Name: 'Ana\tLopez' }))).toMatchObject({
      ok: true,
      request: { name: 'Ana\tLopez' },
    });
  });

  test('a row error lists eight problems at most, then how many more there are', () => {
    const header = ['Name', 'Type', ...Array.from({ length: 12 }, (_, n) => `Extra ${n + 1}`)];
    const cells = ['Ana', 'ro', ...Array.from({ length: 12 }, () => 'y'.repeat(MAX_CELL_CHARACTERS + 1))];
    const error = errorOf(mapHeader(header), cells, 2);
    expect(error.split('; ')).toHaveLength(9);
    expect(error).toMatch(
      /column "Extra 8": is 1,001 characters long, more than the 1,000 a cell may hold; and 4 more problems$/,
    );
  });
});

describe('the unknown columns warning', () => {
  test('names each column as written, cut to 60 characters, and at most 20 of them', () => {
    const header = ['Name', 'Type', 'Team', 'c'.repeat(500), ...Array.from({ length: 30 }, (_, n) => `x${n}`)];
    const warning = unknownColumnsWarning(mapHeader(header))!;
    expect(warning).toMatch(new RegExp(`^Unknown columns ignored: Team, ${'c'.repeat(60)}…, x0, x1, `));
    expect(warning).toMatch(/, x17 and 12 more$/);
  });

  test('is absent when every column is known', () => {
    expect(unknownColumnsWarning(seedMapping())).toBeUndefined();
  });
});
