import { csvLine } from '../../domain/csv/results';
import type { ObjectStore } from '../../ports';
import { type JobOutcome, type JobRun, emptyProgress } from './job-run';

/**
 * The streaming parts the CSV-writing jobs share. Everything is pulled: a row is read (or worked on) only when
 * the upload asks for the next line, so memory holds the upload's buffer and a bounded window of rows, whatever
 * the size of the table or file.
 */

/** A CSV file's lines: the header, then one line per row. */
export async function* csvLines<T>(
  header: readonly string[],
  rows: AsyncIterable<T>,
  cellsOf: (row: T) => string[],
): AsyncGenerator<string> {
  yield csvLine([...header]);
  for await (const row of rows) yield csvLine(cellsOf(row));
}

/** Writes a job's result file to `key` in `objects`, counting each row's Status into the job's progress as it goes. */
export async function writeRowFile<T extends { status: 'Success' | 'Failed' }>(
  objects: ObjectStore,
  run: JobRun,
  key: string,
  header: readonly string[],
  rows: AsyncIterable<T>,
  cellsOf: (row: T) => string[],
): Promise<Required<Pick<JobOutcome, 'progress' | 'resultKey'>>> {
  const progress = emptyProgress();
  async function* counted(): AsyncGenerator<T> {
    for await (const row of rows) {
      progress.processed++;
      if (row.status === 'Success') progress.succeeded++;
      else progress.failed++;
      run.progress({ ...progress });
      yield row;
    }
  }
  await objects.writeStream(key, csvLines(header, counted(), cellsOf), 'text/csv; charset=utf-8');
  return { progress, resultKey: key };
}

/**
 * `work` applied to each item with up to `concurrency` items in flight, results yielded in the items' order.
 * The window is a queue of the started items' promises: a new item starts only when the window has room, and the
 * oldest leaves it only when its result is taken, so a slow row or a slow consumer holds the others back rather
 * than letting results pile up. A failure of `work` surfaces when its item's turn comes.
 */
export async function* mapInOrder<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  for await (const item of items) {
    const pending = work(item);
    // Marks the rejection handled until its turn: it is awaited (and thrown) there.
    pending.catch(() => {});
    window.push(pending);
    if (window.length >= concurrency) yield await window.shift()!;
  }
  while (window.length > 0) yield await window.shift()!;
}
