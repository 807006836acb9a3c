import type { Spending } from '../domain/delegation';
import type { AuditEvent } from '../domain/audit';
import type { Batch, BatchCounts, BatchInput, BatchState, StoredRowResult } from '../domain/batch';

/** How a batch's move changes its parent's and ancestors' allowances (docs/SPEC.md §3.8). */
export type AllowanceChange = { spending: Spending } | { refund: { ids: string[]; units: number } };

/** One chunk's outcome, written at once: its rows' results, the invitations and events they create. */
export interface ChunkCommit {
  batchId: string;
  chunk: number;
  /** When it is recorded: the batch's `progressAt`. */
  at: string;
  results: StoredRowResult[];
  /** One `invitation.created` event per invitation the chunk creates. */
  events: AuditEvent[];
  /** Holds the write to a parent that still invites, when the batch has one. */
  parentCheck?: { parentId: string; at: string };
  /** The batch's counts as they were read before: with its total, the write tells whether it settles the batch. */
  counts: BatchCounts;
}

/**
 * What recording a chunk came to: `committed`, saying whether its rows were the last of the batch to get an
 * outcome; or `duplicate` when the chunk had been recorded already (a redelivered message).
 */
export type ChunkRecord = { outcome: 'committed'; finished: boolean } | { outcome: 'duplicate' };

export interface BatchListing {
  limit: number;
  cursor?: string;
  state?: BatchState;
  createdBy?: string;
}

export interface BatchPage {
  batches: Batch[];
  cursor?: string;
}

/**
 * Where batches, their counts and their chunks' outcomes are kept. Every write that changes a batch answers
 * the batch as it left it, so nothing is read again to learn it.
 */
export interface BatchRepository {
  /** Records a new batch; with a drop marker, only if that dropped file has not started one already. */
  createBatch(batch: Batch, audit: AuditEvent, dropMarker?: string): Promise<void>;
  /** The batch a dropped file (its marker) started, if any. */
  batchIdForDrop(marker: string): Promise<string | undefined>;
  /** A batch with its counts, as they are now (one strongly consistent read). */
  getBatch(id: string): Promise<Batch | undefined>;
  /**
   * Pins a batch that has no file yet to the object that arrived for it, moving it on to `queued`, in one
   * conditional write. Answers the batch as it stands afterwards: pinned to `input`, or to the object that
   * claimed it first, or with no input when it ended without one (its counts as `batch` had them); undefined
   * when there is no such batch.
   */
  claimInput(batch: Batch, input: BatchInput, at: string): Promise<Batch | undefined>;
  /** Records that the splitter has sent every chunk of a batch still processing. */
  markDispatched(id: string, at: string): Promise<void>;
  /** Batches created since `since` (RFC 3339) that have not ended, newest first. */
  unfinishedBatches(since: string): AsyncIterable<Batch>;
  /** Which of `chunks` of a batch are recorded already. */
  recordedChunks(batchId: string, chunks: number[]): Promise<ReadonlySet<number>>;
  /**
   * Moves `batch` from one of `from` to `to`, setting `fields` with it, and answers it so moved; undefined when
   * the batch is in no state of `from` (someone else moved it first) or, with `allowance`, when that change no
   * longer fits. The audit event of the move and the change of its parent's and ancestors' allowances are
   * written with it, at once.
   */
  transition(
    batch: Batch,
    from: readonly BatchState[],
    to: BatchState,
    fields?: Partial<Batch>,
    audit?: AuditEvent,
    allowance?: AllowanceChange,
  ): Promise<Batch | undefined>;
  /** Whether the batch's BatchCompleted event went out. */
  eventPublished(id: string): Promise<boolean>;
  /** Marks the BatchCompleted event as published, once. False when it already was. */
  markEventPublished(id: string): Promise<boolean>;
  /**
   * Records one chunk exactly once, atomically: its outcomes, the invitations its good rows create, their
   * events and the batch's counts and progress time. `StaleState` when the parent stopped inviting meanwhile
   * (re-plan the rows).
   */
  commitChunk(commit: ChunkCommit): Promise<ChunkRecord>;
  /** Every recorded row outcome of chunks `0…chunkCount-1`, in row order. */
  rowResults(batchId: string, chunkCount: number): AsyncIterable<StoredRowResult>;
  /** Batches newest first, optionally only those in one state or created by one principal. */
  listBatches(listing: BatchListing): Promise<BatchPage>;
}
