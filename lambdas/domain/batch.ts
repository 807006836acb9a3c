/** A batch turns one CSV into many invitations (SPEC §1.4). */
export type BatchState = 'awaiting_upload' | 'queued' | 'processing' | 'completed' | 'failed';
export type BatchSource = 'api' | 's3' | 'delegate';

export interface BatchOptions {
  parentId?: string;
  s3ConfigPath?: string;
  includeEncoded: boolean;
  /** How many workers may process this batch's rows at once. */
  concurrency: number;
  hasHeader: boolean;
}

export const BATCH_CONCURRENCY = { min: 1, max: 50, default: 5 } as const;

export interface BatchCounts {
  /** Data rows in the file; known once the file has been split. */
  total?: number;
  succeeded: number;
  failed: number;
}

/** The rows one chunk settled, by outcome. */
export type RowCounts = Omit<BatchCounts, 'total'>;

/** How many of a chunk's row results succeeded and how many failed. */
export function rowCounts(results: readonly { status: string }[]): RowCounts {
  const succeeded = results.filter((result) => result.status === 'Success').length;
  return { succeeded, failed: results.length - succeeded };
}

export interface Batch extends BatchCounts {
  id: string;
  state: BatchState;
  source: BatchSource;
  options: BatchOptions;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** The CSV's object key in the registry bucket. */
  objectKey: string;
  /** Header cells as written in the file (absent when hasHeader is false). */
  header?: string[];
  /** Unknown columns and similar, listed once for the whole file. */
  warnings: string[];
  /** Why the whole file was rejected (state `failed`). */
  error?: { code: string; message: string };
  resultsKey?: string;
  /** The registry URL written into encoded invitations (as the batch's creator reached the API). */
  registryApi?: string;
}

/** One data row as it travels from the splitter to a worker. */
export interface BatchRow {
  /** 1-based position among the data rows: the results CSV's order. */
  row: number;
  /** CSV line where the record starts, as the user sees it in an editor. */
  line: number;
  cells: string[];
}

/** Messages on the row queue: a chunk of rows, or the request to write the results once all are done. */
export type RowQueueMessage =
  { kind: 'rows'; batchId: string; chunk: number; rows: BatchRow[] } | { kind: 'finalise'; batchId: string };

export const isFinished = (batch: BatchCounts): boolean =>
  batch.total !== undefined && batch.succeeded + batch.failed >= batch.total;
