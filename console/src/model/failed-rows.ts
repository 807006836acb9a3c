import { csvRecords } from './csv';

/** A row of a batch that created nothing, as its results file tells it (docs/SPEC.md §2.2). */
export interface FailedRow {
  /** 1-based position among the file's data rows (`Row`). */
  row: number;
  /** The line of the uploaded CSV where the row starts, as an editor counts them, header and blank lines too (`Line`). */
  line: number;
  name: string;
  type: string;
  error: string;
}

/** The failed rows of a batch's results file, in input order. */
export function failedRows(resultsCsv: string): FailedRow[] {
  return csvRecords(resultsCsv).flatMap((record) =>
    record.Status === 'Failed'
      ? [
          {
            row: Number(record.Row),
            line: Number(record.Line),
            name: record.Name ?? '',
            type: record.Type ?? '',
            error: record.Error ?? '',
          },
        ]
      : [],
  );
}
