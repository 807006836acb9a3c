import type { BatchRow, RowChunk } from '../../../../lambdas/domain/batch';
import { INPUT_COLUMNS, MAX_CELL_CHARACTERS, mapHeader, parseRow } from '../../../../lambdas/domain/csv/input';
import { ROWS_PER_MESSAGE } from '../../../../system/resources';

/** SQS's largest message, and DynamoDB's largest item (counted here as its JSON, which is larger). */
const SQS_MESSAGE_BYTES = 256 * 1024;
const DYNAMODB_ITEM_BYTES = 400 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** A cell of `length` characters that costs the most once quoted back, made visible and written as JSON. */
const worstCell = (length: number) => '\u0001'.repeat(length);

function chunkOf(cells: string[]): RowChunk {
  const mapping = mapHeader([...INPUT_COLUMNS]);
  const rows: BatchRow[] = Array.from({ length: ROWS_PER_MESSAGE }, (_, n) => {
    const parsed = parseRow(mapping, { cells, line: n + 2 });
    const base = { row: n + 1, line: n + 2, echo: parsed.echo };
    return parsed.ok ? { ...base, request: parsed.request } : { ...base, error: parsed.error };
  });
  return { kind: 'rows', batchId: '01M8VXAXF4KPGTZZ9QSHQ01G40', chunk: 1_234_567, rows };
}

/** What the worker or the dead-letter handler stores of a chunk whose rows all failed. */
const storedFailures = ({ rows }: RowChunk) =>
  rows.map((row) => ({
    row: row.row,
    line: row.line,
    status: 'Failed',
    ...row.echo,
    error: 'error' in row ? row.error : '',
  }));

/** 254 characters, 64 before the @: as long as an address may be. */
const LONGEST_EMAIL = `${'a'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(57)}.org`;

describe('whatever its cells hold, a chunk fits a queue message and a table item', () => {
  test.each([
    [
      'every cell as long as a cell may be, all control characters',
      INPUT_COLUMNS.map(() => worstCell(MAX_CELL_CHARACTERS)),
    ],
    ['every cell one character too long', INPUT_COLUMNS.map(() => worstCell(MAX_CELL_CHARACTERS + 1))],
    ['20 KB names', ['x'.repeat(20_480), 'ro', '', '', '', '', '', '']],
    ['the longest address there is', ['Ana', 'ro', '', '', '', '', '', LONGEST_EMAIL]],
    ['the longest name there is, in three-byte characters', ['名'.repeat(200), 'ro', '', '', '', '', '', '']],
    ['the longest name there is, all quotes', ['"'.repeat(200), 'ro', '', '', '', '', '', '']],
  ])('%s', (_what, cells) => {
    const chunk = chunkOf(cells);
    expect(bytes(chunk)).toBeLessThan(SQS_MESSAGE_BYTES);
    expect(bytes(storedFailures(chunk))).toBeLessThan(DYNAMODB_ITEM_BYTES);
  });
});
