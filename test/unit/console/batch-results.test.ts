import { csvRecords, parseCsv } from '../../../console/src/model/csv';
import { failedRows } from '../../../console/src/model/failed-rows';
import { addSample, rowsPerSecond } from '../../../console/src/model/rate';
import { csvLine, resultCells, resultHeader } from '../../../lambdas/domain/csv/results';

describe('reading CSV', () => {
  test('quoted cells keep their commas, doubled quotes and line breaks; CRLF and LF both end a row', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\n"two\nlines",x,\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['two\nlines', 'x', ''],
    ]);
  });

  test('a byte order mark and a missing last line break change nothing', () => {
    expect(csvRecords('\uFEFFName,Type\nlab,admin')).toEqual([{ Name: 'lab', Type: 'admin' }]);
  });
});

describe('the failed rows of a batch', () => {
  test('come from the results file the registry writes, with their input line and error', () => {
    const header = resultHeader(false);
    const text = [
      csvLine(header),
      csvLine(resultCells({ row: 1, line: 2, status: 'Success', name: 'ok', type: 'admin', token: 'inv-…' }, false)),
      csvLine(
        resultCells(
          { row: 2, line: 4, status: 'Failed', name: 'bad, row', type: 'bogus', error: 'line 4, column "Type": …' },
          false,
        ),
      ),
    ].join('');
    expect(failedRows(text)).toEqual([
      { row: 2, line: 4, name: 'bad, row', type: 'bogus', error: 'line 4, column "Type": …' },
    ]);
  });
});

describe('rows per second', () => {
  test('over the readings of the last ten seconds, once they span a second', () => {
    let samples = addSample([], { at: 0, done: 0 });
    expect(rowsPerSecond(samples)).toBeUndefined();
    samples = addSample(samples, { at: 500, done: 50 });
    expect(rowsPerSecond(samples)).toBeUndefined();
    samples = addSample(samples, { at: 2000, done: 400 });
    expect(rowsPerSecond(samples)).toBe(200);
    samples = addSample(samples, { at: 12_000, done: 1400 });
    expect(samples.map(({ at }) => at)).toEqual([2000, 12_000]);
    expect(rowsPerSecond(samples)).toBe(100);
  });
});
