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

/** Lines per chunk written: enough to keep the stream busy, few enough to stay small in memory. */
const LINES_PER_CHUNK = 10_000;

function* templateText(rows: number): Generator<string> {
  yield `${CLASS_TEMPLATE_HEADER.join(',')}\n`;
  for (let first = 1; first <= rows; first += LINES_PER_CHUNK) {
    const last = Math.min(rows, first + LINES_PER_CHUNK - 1);
    const lines: string[] = [];
    for (let row = first; row <= last; row++) lines.push(`${classTemplateCells(row).join(',')}\n`);
    yield lines.join('');
  }
}

/** Writes a class template of `rows` data rows (plus the header) to `path`, streamed. */
export async function writeClassTemplate(path: string, rows: number): Promise<LocalFile> {
  await pipeline(Readable.from(templateText(rows)), createWriteStream(path));
  return { path, size: statSync(path).size };
}
