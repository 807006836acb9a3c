import { DEFAULT_CSV_LIMITS, readCsvRecords } from '../../../../../lambdas/domain/csv/reader';
import { fixture, readAll, rejectionOf } from '../../../../fixtures/csv/sources';

const SEED_HEADER = ['Name', 'Type', 'ValidDays', 'CanInvite', 'Transferable', 'DeviceBound', 'MaxDevices'];
const PIECE_SIZES = [1, 2, 3, 7, 64, Infinity];
const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0));

describe('reading records (SPEC §2.1)', () => {
  test('the seeds class roster file gives its header and Student-1..25, each on its own line', async () => {
    const records = await readAll(fixture('class-invitations.csv'));
    expect(records).toHaveLength(26);
    expect(records[0]).toEqual({ cells: SEED_HEADER, line: 1 });
    expect(records[1]).toEqual({ cells: ['Student-1', 'read_write', '120', 'no', 'no', 'yes', '2'], line: 2 });
    expect(records[25]).toEqual({ cells: ['Student-25', 'read_write', '120', 'no', 'no', 'yes', '2'], line: 26 });
  });

  test('Python csv.writer output: CRLF, unquoted numbers, a quoted name with a comma, UTF-8 accents', async () => {
    const records = await readAll(fixture('hr-invitations.csv'));
    expect(records.map((record) => record.cells[0])).toEqual([
      'Name',
      'Ana-Lopez',
      "Ben-O'Neil",
      'Chloé-Dubois',
      'Dana, Jr.-Kim',
      'Eli-Cohen',
    ]);
    expect(records[4]).toEqual({ cells: ['Dana, Jr.-Kim', 'read_write', '90', 'no', 'no', 'yes', '2'], line: 5 });
    expect(records.every((record) => record.cells.every((cell) => !/[\r\n]/.test(cell)))).toBe(true);
  });

  test.each(PIECE_SIZES)('pieces of %p bytes give the same records as the whole file', async (pieceSize) => {
    const content = `\uFEFFName,Type\r\n"Zoë, ""Z""\r\nKim",admin\r\n\r\n日本語 🎉,ro\r\n`;
    expect(await readAll(content, { pieceSize })).toEqual([
      { cells: ['Name', 'Type'], line: 1 },
      { cells: ['Zoë, "Z"\r\nKim', 'admin'], line: 2 },
      { cells: ['日本語 🎉', 'ro'], line: 5 },
    ]);
  });

  test('a BOM is dropped from the first header cell, with LF or CRLF', async () => {
    for (const ending of ['\n', '\r\n']) {
      const records = await readAll(`\uFEFFName,Type${ending}Ana,admin${ending}`);
      expect(records).toEqual([
        { cells: ['Name', 'Type'], line: 1 },
        { cells: ['Ana', 'admin'], line: 2 },
      ]);
    }
  });

  test('a U+FEFF that is not at the start of the file is kept', async () => {
    const records = await readAll('Name,Type\n\uFEFFAna,admin\n', { pieceSize: 10 });
    expect(records[1]?.cells[0]).toBe('\uFEFFAna');
  });

  test('quoted cells keep commas, doubled quotes and line breaks; later line numbers stay right', async () => {
    const content = [
      'Name,Type,Notes',
      '"Lopez, Ana",admin,"said ""hi"""',
      '"two',
      'lines",ro,x',
      '"three\r\nlines\r\nhere",rw,y',
      'last,admin,z',
    ].join('\n');
    expect(await readAll(content)).toEqual([
      { cells: ['Name', 'Type', 'Notes'], line: 1 },
      { cells: ['Lopez, Ana', 'admin', 'said "hi"'], line: 2 },
      { cells: ['two\nlines', 'ro', 'x'], line: 3 },
      { cells: ['three\r\nlines\r\nhere', 'rw', 'y'], line: 5 },
      { cells: ['last', 'admin', 'z'], line: 8 },
    ]);
  });

  test('blank lines, whitespace-only lines and rows of empty cells are skipped but counted', async () => {
    const content = '\n\nName,Type\n\n  \n,\n\t , \nAna,admin\n\n\nBo,ro\n\n';
    expect(await readAll(content)).toEqual([
      { cells: ['Name', 'Type'], line: 3 },
      { cells: ['Ana', 'admin'], line: 8 },
      { cells: ['Bo', 'ro'], line: 11 },
    ]);
  });

  test('ragged rows pass through as they are, and cells are not trimmed', async () => {
    const records = await readAll('Name,Type,ValidDays\n Ana ,admin\nBo,ro,30,extra\n');
    expect(records.slice(1)).toEqual([
      { cells: [' Ana ', 'admin'], line: 2 },
      { cells: ['Bo', 'ro', '30', 'extra'], line: 3 },
    ]);
  });

  test('any line ending, even mixed, and Python-on-Windows CR CR LF', async () => {
    expect(await readAll('Name,Type\rAna,admin\r\nBo,ro\nCy,rw')).toEqual([
      { cells: ['Name', 'Type'], line: 1 },
      { cells: ['Ana', 'admin'], line: 2 },
      { cells: ['Bo', 'ro'], line: 3 },
      { cells: ['Cy', 'rw'], line: 4 },
    ]);
    const windowsPython = await readAll('Name,Type\r\r\nAna,admin\r\r\nBo,ro\r\r\n');
    expect(windowsPython.map((record) => record.cells)).toEqual([
      ['Name', 'Type'],
      ['Ana', 'admin'],
      ['Bo', 'ro'],
    ]);
    expect(windowsPython.map((record) => record.line)).toEqual([1, 3, 5]);
  });

  test('a quote inside an unquoted cell is kept as text', async () => {
    const records = await readAll('Name,Type\nMonitor 27" Team,ro\n');
    expect(records[1]?.cells).toEqual(['Monitor 27" Team', 'ro']);
  });

  test('chunks given as strings are read like bytes', async () => {
    async function* strings() {
      yield 'Name,Ty';
      yield 'pe\nAna,adm';
      yield 'in\n';
    }
    const records = [];
    for await (const record of readCsvRecords(strings(), DEFAULT_CSV_LIMITS)) records.push(record);
    expect(records).toEqual([
      { cells: ['Name', 'Type'], line: 1 },
      { cells: ['Ana', 'admin'], line: 2 },
    ]);
  });

  test('without a header the first row is data', async () => {
    const records = await readAll('Ana,admin\nBo,ro\n', { hasHeader: false });
    expect(records).toEqual([
      { cells: ['Ana', 'admin'], line: 1 },
      { cells: ['Bo', 'ro'], line: 2 },
    ]);
  });

  test('a consumer that stops early releases the source', async () => {
    let released = false;
    async function* source() {
      try {
        yield new TextEncoder().encode('Name,Type\nAna,admin\n');
        yield new TextEncoder().encode('Bo,ro\n');
      } finally {
        released = true;
      }
    }
    for await (const record of readCsvRecords(source(), DEFAULT_CSV_LIMITS)) {
      expect(record.line).toBe(1);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(true);
  });

  test('a failing source is passed on as it is, not as a file rejection', async () => {
    async function* failing() {
      yield new TextEncoder().encode('Name,Type\nAna,admin\n');
      throw new Error('connection reset');
    }
    const reading = (async () => {
      for await (const record of readCsvRecords(failing(), DEFAULT_CSV_LIMITS)) expect(record.cells).toHaveLength(2);
    })();
    await expect(reading).rejects.toThrow(new Error('connection reset'));
  });
});

describe("Excel's separator line", () => {
  test.each(['sep=,', 'SEP=,', '\uFEFFsep=,'])(
    'a first line %p is skipped, and later lines keep their numbers',
    async (first) => {
      for (const ending of ['\n', '\r\n']) {
        expect(await readAll(`${first}${ending}Name,Type${ending}Ana,admin${ending}`)).toEqual([
          { cells: ['Name', 'Type'], line: 2 },
          { cells: ['Ana', 'admin'], line: 3 },
        ]);
      }
    },
  );

  test('only on the first line: further down it is a row like any other', async () => {
    expect(await readAll('Name,Type\nsep=,\n')).toEqual([
      { cells: ['Name', 'Type'], line: 1 },
      { cells: ['sep=', ''], line: 2 },
    ]);
  });

  test('a file declaring another separator is refused whole, saying how to save it', async () => {
    const rejection = await rejectionOf(readAll('sep=;\nName;Type\nAna;admin\n'));
    expect(rejection.reason).toBe('not_csv');
    expect(rejection.message).toBe(
      'The file\'s first line, "sep=;", says its cells are separated by ";"; the registry reads comma-separated ' +
        'files. Save it as "CSV UTF-8 (Comma delimited)" and try again.',
    );
  });
});

describe('file rejections (SPEC §2.1)', () => {
  test.each(PIECE_SIZES)('Latin-1 bytes are not UTF-8; the line and offset are named (pieces of %p)', async (size) => {
    const rejection = await rejectionOf(readAll(latin1('Name,Type\nAna,admin\nRené,ro\n'), { pieceSize: size }));
    expect(rejection.reason).toBe('not_utf8');
    expect(rejection.message).toBe(
      'The file is not UTF-8 text: line 3 has the byte 0xE9 (byte offset 23), which is not valid UTF-8. ' +
        'Save the file as "CSV UTF-8" and try again.',
    );
  });

  test('an invalid continuation after a valid lead byte is located at the lead byte', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('Name,Type\nA'), 0xe2, 0x82, 0x41, 0x0a]);
    const rejection = await rejectionOf(readAll(bytes, { pieceSize: 2 }));
    expect(rejection.message).toContain('line 2 has the byte 0xE2 (byte offset 11)');
  });

  test('a file ending in the middle of a character is not UTF-8', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('Name,Type\nAna,admin\nB'), 0xc3]);
    const rejection = await rejectionOf(readAll(bytes));
    expect(rejection.reason).toBe('not_utf8');
    expect(rejection.message).toBe(
      'The file is not UTF-8 text: it ends in the middle of a character (byte offset 21, line 3).',
    );
  });

  test('an unclosed quote is not CSV, naming the line its row starts on', async () => {
    const content = 'Name,Type\r\n"multi\r\nline",admin\r\n\r\n"Ana,admin\r\nBo,ro\r\n';
    for (const pieceSize of [3, Infinity]) {
      const rejection = await rejectionOf(readAll(content, { pieceSize }));
      expect(rejection.reason).toBe('not_csv');
      expect(rejection.message).toBe(
        'The file is not valid CSV: a quote opened in the row starting on line 5 is never closed.',
      );
    }
  });

  test('an unclosed quote stops at 1 MiB instead of reading the rest of the file into one cell', async () => {
    const content = `Name,Type\nAna,admin\n"Bo,ro\n${'x,y\n'.repeat(300_000)}`;
    const rejection = await rejectionOf(readAll(content, { pieceSize: 64 * 1024 }));
    expect(rejection.reason).toBe('not_csv');
    expect(rejection.message).toBe(
      'The file is not valid CSV: the row starting on line 3 is longer than 1 MiB (is a quote never closed?).',
    );
  });

  test('a file larger than the maximum is refused; one exactly at it is read', async () => {
    const content = 'Name,Type\nAna,admin\n'; // 20 bytes
    const limits = { maxBytes: 19, maxRows: 10 };
    const rejection = await rejectionOf(readAll(content, { limits, pieceSize: 4 }));
    expect(rejection.reason).toBe('too_large');
    expect(rejection.message).toBe('The file is larger than 19 bytes, the maximum. Split it into smaller files.');
    expect(await readAll(content, { limits: { ...limits, maxBytes: 20 } })).toHaveLength(2);
  });

  test('sizes in whole MiB are written in MiB; the defaults are 256 MiB and 1,000,000 rows', async () => {
    expect(DEFAULT_CSV_LIMITS).toEqual({ maxBytes: 268_435_456, maxRows: 1_000_000 });
    const content = `Name,Type\n${'a,ro\n'.repeat(210_000)}`; // 1,050,010 bytes
    const rejection = await rejectionOf(readAll(content, { limits: { maxBytes: 1024 * 1024, maxRows: 1_000_000 } }));
    expect(rejection.message).toBe('The file is larger than 1 MiB, the maximum. Split it into smaller files.');
  });

  test('more data rows than the maximum are refused; the header does not count', async () => {
    const limits = { maxBytes: 1000, maxRows: 2 };
    expect(await readAll('Name,Type\nA,ro\nB,ro\n', { limits })).toHaveLength(3);
    const rejection = await rejectionOf(readAll('Name,Type\nA,ro\nB,ro\nC,ro\n', { limits }));
    expect(rejection.reason).toBe('too_many_rows');
    expect(rejection.message).toBe('The file has more than 2 data rows, the maximum. Split it into smaller files.');
    expect(await readAll('A,ro\nB,ro\n', { limits, hasHeader: false })).toHaveLength(2);
    const headerless = await rejectionOf(readAll('A,ro\nB,ro\nC,ro\n', { limits, hasHeader: false }));
    expect(headerless.reason).toBe('too_many_rows');
  });

  test('the maximum is written as people write numbers', async () => {
    const content = `Name,Type\n${'a,ro\n'.repeat(1235)}`;
    const rejection = await rejectionOf(readAll(content, { limits: { maxBytes: 1_000_000, maxRows: 1234 } }));
    expect(rejection.message).toContain('more than 1,234 data rows');
  });

  test.each([
    ['an empty file', '', true, 'The file is empty: it has no data rows.'],
    ['only blank lines', '\n\r\n,,\n', true, 'The file is empty: it has no data rows.'],
    ['a header alone', 'Name,Type\r\n', true, 'The file has a header row but no data rows.'],
    ['a header and blank lines', 'Name,Type\n\n\n', true, 'The file has a header row but no data rows.'],
    ['nothing, without a header', '\n', false, 'The file is empty: it has no data rows.'],
  ])('%s has no data rows', async (_label, content, hasHeader, message) => {
    const rejection = await rejectionOf(readAll(content, { hasHeader }));
    expect(rejection.reason).toBe('no_data_rows');
    expect(rejection.message).toBe(message);
  });
});
