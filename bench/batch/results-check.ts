import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { studentName } from './class-template';

/** Problems quoted when a results file is wrong. */
const SAMPLES = 3;

/**
 * Reads a batch's results CSV and throws unless it holds exactly `rows` rows, in input order, every one a
 * Success with a token and an invitation id, each id given once.
 */
export async function checkResults(path: string, rows: number): Promise<void> {
  const problems: string[] = [];
  const ids = new Set<string>();
  let seen = 0;
  const records = createReadStream(path).pipe(parse({ columns: true, bom: true }));
  for await (const record of records as AsyncIterable<Record<string, string>>) {
    seen++;
    const row = `row ${seen}`;
    if (record.Status !== 'Success') problems.push(`${row}: ${record.Status} ${record.Error}`);
    else if (record.Name !== studentName(seen) || record.Row !== String(seen))
      problems.push(`${row}: ${record.Name} (Row ${record.Row}) out of order`);
    else if (!record.Token || !record.Id) problems.push(`${row}: no token or no id`);
    else if (ids.has(record.Id)) problems.push(`${row}: invitation ${record.Id} given twice`);
    ids.add(record.Id ?? '');
    if (problems.length >= SAMPLES) break;
  }
  if (problems.length === 0 && seen !== rows) problems.push(`${seen} result rows for ${rows} input rows`);
  if (problems.length > 0) throw new Error(`results of ${rows} rows are wrong: ${problems.join('; ')}`);
}
