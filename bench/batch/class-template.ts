import { createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LocalFile } from '../../cli/presigned';
import { SEED_COLUMNS } from '../../lambdas/domain/csv/input';

/** The seeds' class template (docs/SPEC.md §2.1): one student per row, every row valid. */
export const CLASS_TEMPLATE_HEADER: string[] = [...SEED_COLUMNS];

/** Data row `row` (from 1) of the template, as the results file names it back. */
export const studentName = (row: number) => `Student-${row}`;

export const classTemplateCells = (row: number): string[] => [
  studentName(row),
  'read_write',
  '120',
  'no',
  'no',
  'yes',
  '2',
];

/** The address of data row `row` (from 1) when the template carries an `Email` column. */
export const studentAddress = (row: number) => `student-${row}@class.example.org`;

/** The template's columns, with `Email` after the seed's when `withEmail`. */
const headerOf = (withEmail: boolean) => (withEmail ? [...CLASS_TEMPLATE_HEADER, 'Email'] : CLASS_TEMPLATE_HEADER);
const cellsOf = (row: number, withEmail: boolean) =>
  withEmail ? [...classTemplateCells(row), studentAddress(row)] : classTemplateCells(row);

/** Lines per chunk written: enough to keep the stream busy, few enough to stay small in memory. */
const LINES_PER_CHUNK = 10_000;

function* templateText(rows: number, withEmail: boolean): Generator<string> {
  yield `${headerOf(withEmail).join(',')}\n`;
  for (let first = 1; first <= rows; first += LINES_PER_CHUNK) {
    const last = Math.min(rows, first + LINES_PER_CHUNK - 1);
    const lines: string[] = [];
    for (let row = first; row <= last; row++) lines.push(`${cellsOf(row, withEmail).join(',')}\n`);
    yield lines.join('');
  }
}

/** Writes a class template of `rows` data rows (plus the header) to `path`, streamed; with an `Email` column if asked. */
export async function writeClassTemplate(path: string, rows: number, withEmail = false): Promise<LocalFile> {
  await pipeline(Readable.from(templateText(rows, withEmail)), createWriteStream(path));
  return { path, size: statSync(path).size };
}
