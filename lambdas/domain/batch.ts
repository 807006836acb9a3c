import type { RowEcho } from './csv/input';
import type { Invitation, InvitationRequest } from './invitation';

/** Rows per row-queue message: the chunk a worker takes, records and retries as one. */
export const ROWS_PER_MESSAGE = 25;

/** A batch turns one CSV into many invitations (docs/SPEC.md §1.4). */
export type BatchState = 'awaiting_upload' | 'queued' | 'processing' | 'completed' | 'failed';
export type BatchSource = 'api' | 's3' | 'delegate';

export interface BatchOptions {
  parentId?: string;
  s3ConfigPath?: string;
  includeEncoded: boolean;
  /** How many of this batch's chunks may be processed at once: the number of its lanes on the row queue. */
  concurrency: number;
  hasHeader: boolean;
  /** E-mail each created invitation that has an address (docs/SPEC.md §4.8). */
  deliver?: boolean;
}

export const BATCH_CONCURRENCY = { min: 1, max: 50, default: 5 } as const;

export interface BatchCounts {
  /** Data rows in the file; known once the file has been split. */
  total?: number;
  succeeded: number;
  failed: number;
  /** When a chunk of the batch was last recorded. */
  progressAt?: string;
}

/** The rows one chunk settled, by outcome. */
export type RowCounts = Omit<BatchCounts, 'total'>;

/** How many of a chunk's row results succeeded and how many failed. */
export function rowCounts(results: readonly { status: string }[]): RowCounts {
  const succeeded = results.filter((result) => result.status === 'Success').length;
  return { succeeded, failed: results.length - succeeded };
}

/**
 * One row's outcome as a chunk records it. Successful rows keep the invitation they created, so the results
 * CSV can be written (tokens derived, invitations encoded) without reading them back one by one.
 */
export interface StoredRowResult {
  row: number;
  line: number;
  status: 'Success' | 'Failed';
  name: string;
  type: string;
  error?: string;
  notes?: string[];
  invitation?: Invitation;
}

/**
 * The object a batch reads, as it arrived (docs/SPEC.md §3.9): both passes of the split read exactly this object,
 * by its version where the bucket keeps versions, else only while its ETag still matches.
 */
export interface BatchInput {
  /** As S3 answers it in headers, quoted. */
  eTag: string;
  versionId?: string;
  /** Bytes. */
  size: number;
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
  /** The one object the batch took: the first that arrived for it. Absent until then. */
  input?: BatchInput;
  /** When the splitter had sent every chunk of the file to the row queue. */
  dispatchedAt?: string;
  /** Unknown columns and similar, listed once for the whole file. */
  warnings: string[];
  /** Why the whole file was rejected (state `failed`). */
  error?: { code: string; message: string };
  resultsKey?: string;
  /** The registry URL configured when the batch started, written into its encoded invitations. */
  registryApi?: string;
  /**
   * Under a parent: how many rows the splitter reserved of the parent's and ancestors' allowances once it
   * had counted them (docs/SPEC.md §3.8). Rows numbered beyond it fail with `delegation_quota_exceeded`.
   */
  reservedRows?: number;
  /** The ancestor whose allowance cut the reservation short, when it was. */
  quotaLimitedBy?: string;
  /** Why nothing could be reserved: the parent could no longer have children. Every row fails with it. */
  reservationRefused?: string;
}

/**
 * One data row as it travels from the splitter to a worker. The splitter has read it against the header
 * already: it carries the invitation it asks for, or why it cannot be one, never its raw cells, so no cell
 * can make a message or a stored chunk outgrow its limit.
 */
export type BatchRow = {
  /** 1-based position among the data rows: the results CSV's order. */
  row: number;
  /** CSV line where the record starts, as the user sees it in an editor. */
  line: number;
  echo: RowEcho;
} & ({ request: InvitationRequest } | { error: string });

/** Messages on the row queue: a chunk of rows, or the request to write the results once all are done. */
export type RowQueueMessage =
  { kind: 'rows'; batchId: string; chunk: number; rows: BatchRow[] } | { kind: 'finalise'; batchId: string };

/** A chunk of rows, as the splitter sends it and a worker (or the dead-letter handler) records it. */
export type RowChunk = Extract<RowQueueMessage, { kind: 'rows' }>;

/**
 * A message as the row queue (FIFO) takes it. A batch's chunks are dealt over `concurrency` lanes, one
 * message group each, and SQS hands out a group's messages one at a time: at most `concurrency` chunks of a
 * batch are processed at once, and a chunk waiting for its lane is never received, so waiting spends none
 * of the receives that send a failing message to the dead-letter queue. The deduplication id makes a chunk
 * sent twice within SQS's five-minute window (a splitter retried) one message.
 */
export interface RowQueueEnvelope {
  message: RowQueueMessage;
  group: string;
  deduplicationId: string;
}

/**
 * A chunk in its lane. A resend (`resend`, a mark of that round, such as its time) gets a deduplication id of
 * its own: it is meant to be delivered even within five minutes of the first sending.
 */
export const chunkEnvelope = (chunk: RowChunk, concurrency: number, resend?: string): RowQueueEnvelope => ({
  message: chunk,
  group: `${chunk.batchId}.lane-${chunk.chunk % concurrency}`,
  deduplicationId: `${chunk.batchId}.chunk-${chunk.chunk}${resend === undefined ? '' : `.${resend}`}`,
});

/** The request to write a batch's results: a group of its own, one message however many ask within five minutes. */
export function finaliseEnvelope(batchId: string): RowQueueEnvelope {
  const id = `${batchId}.finalise`;
  return { message: { kind: 'finalise', batchId }, group: id, deduplicationId: id };
}

export const isFinished = (batch: BatchCounts): boolean =>
  batch.total !== undefined && batch.succeeded + batch.failed >= batch.total;
