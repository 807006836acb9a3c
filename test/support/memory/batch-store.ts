import { encodeTime } from 'ulid';
import type { AuditEvent } from '../../../lambdas/domain/audit';
import {
  type Batch,
  type BatchCounts,
  type BatchInput,
  type BatchState,
  type StoredRowResult,
  rowCounts,
} from '../../../lambdas/domain/batch';
import type {
  AllowanceChange,
  BatchListing,
  BatchPage,
  BatchRepository,
  ChunkCommit,
  ChunkRecord,
} from '../../../lambdas/ports';
import { decodeCursor, encodeCursor } from '../../../lambdas/ports/cursor';
import type { MemoryTables, Step, StoredCounts } from './tables';

const UNFINISHED: readonly BatchState[] = ['awaiting_upload', 'queued', 'processing'];
const CLAIMABLE: readonly BatchState[] = ['awaiting_upload', 'queued'];

const isAfter = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

/**
 * Batches, their counts and their chunks in memory, with the conditional writes and transactions of the DynamoDB
 * adapter: a write lands whole or not at all, and what a chunk's commit learns it learns from that write alone.
 */
export class MemoryBatchStore implements BatchRepository {
  constructor(private readonly tables: MemoryTables) {}

  createBatch(batch: Batch, audit: AuditEvent, dropMarker?: string): Promise<void> {
    const { batches, batchCounts, drops } = this.tables;
    const { total: _total, succeeded: _succeeded, failed: _failed, progressAt: _at, ...record } = batch;
    const steps: Step[] = [
      { holds: () => !batches.has(batch.id), apply: () => batches.set(batch.id, structuredClone(record)) },
      {
        holds: () => !batchCounts.has(batch.id),
        apply: () => batchCounts.set(batch.id, { succeeded: 0, failed: 0, settled: 0 }),
      },
      this.tables.appendAudit(audit),
    ];
    if (dropMarker) {
      steps.push({ holds: () => !drops.has(dropMarker), apply: () => drops.set(dropMarker, batch.id) });
    }
    return this.tables.write('createBatch', batch.id, steps);
  }

  batchIdForDrop(marker: string): Promise<string | undefined> {
    return this.tables.read(() => this.tables.drops.get(marker));
  }

  getBatch(id: string): Promise<Batch | undefined> {
    return this.tables.read(() => this.batchNow(id));
  }

  async claimInput(batch: Batch, input: BatchInput, at: string): Promise<Batch | undefined> {
    const stored = () => this.tables.batches.get(batch.id);
    const claimed = await this.tables.landed('claimInput', batch.id, [
      {
        holds: () => stored() !== undefined && stored()!.input === undefined && CLAIMABLE.includes(stored()!.state),
        apply: () => Object.assign(stored()!, { input: structuredClone(input), state: 'queued', updatedAt: at }),
      },
    ]);
    if (!claimed) return this.getBatch(batch.id);
    return this.tables.read(() => withCounts(stored()!, batch));
  }

  async markDispatched(id: string, at: string): Promise<void> {
    const stored = () => this.tables.batches.get(id);
    await this.tables.landed('markDispatched', id, [
      { holds: () => stored()?.state === 'processing', apply: () => (stored()!.dispatchedAt = at) },
    ]);
  }

  async *unfinishedBatches(since: string): AsyncGenerator<Batch> {
    const from = encodeTime(Date.parse(since), 10);
    const found = await this.tables.read(() =>
      this.newestFirst().filter((batch) => batch.id >= from && UNFINISHED.includes(batch.state)),
    );
    yield* found;
  }

  recordedChunks(batchId: string, chunks: number[]): Promise<ReadonlySet<number>> {
    return this.tables.read(() => {
      const recorded = this.tables.chunks.get(batchId);
      return new Set(chunks.filter((chunk) => recorded?.has(chunk)));
    });
  }

  async transition(
    batch: Batch,
    from: readonly BatchState[],
    to: BatchState,
    fields: Partial<Batch> = {},
    audit?: AuditEvent,
    allowance?: AllowanceChange,
  ): Promise<Batch | undefined> {
    const { total, succeeded: _s, failed: _f, progressAt: _at, ...batchFields } = fields;
    const stored = () => this.tables.batches.get(batch.id);
    const steps: Step[] = [
      {
        holds: () => stored() !== undefined && from.includes(stored()!.state),
        apply: () => Object.assign(stored()!, structuredClone(batchFields), { state: to }),
      },
    ];
    if (total !== undefined) {
      steps.push({ holds: () => true, apply: () => (this.counts(batch.id).total = total) });
    }
    if (audit) steps.push(this.tables.appendAudit(audit));
    if (allowance && 'spending' in allowance) steps.push(...this.tables.spend(allowance.spending));
    else if (allowance && allowance.refund.units > 0) {
      steps.push(...this.tables.refund(allowance.refund.ids, allowance.refund.units));
    }
    if (!(await this.tables.landed('transition', batch.id, steps))) return undefined;
    return { ...batch, ...batchFields, ...(total !== undefined && { total }), state: to };
  }

  eventPublished(id: string): Promise<boolean> {
    return this.tables.read(() => this.tables.batches.get(id)?.eventPublished === true);
  }

  markEventPublished(id: string): Promise<boolean> {
    const stored = () => this.tables.batches.get(id);
    return this.tables.landed('markEventPublished', id, [
      {
        holds: () => stored() !== undefined && !stored()!.eventPublished,
        apply: () => (stored()!.eventPublished = true),
      },
    ]);
  }

  /**
   * One transaction: the chunk (only if not recorded), the counts, the invitations and their events, and the
   * parent check. Whether it was a duplicate, and whether it settled the batch (against the `total` its writer
   * read), is learnt from the write itself.
   */
  async commitChunk({ batchId, chunk, at, results, events, parentCheck, counts }: ChunkCommit): Promise<ChunkRecord> {
    const { succeeded, failed } = rowCounts(results);
    const recorded = () => this.tables.chunks.get(batchId);
    let duplicate = false;
    let settled = 0;
    const steps: Step[] = [
      {
        holds: () => !(duplicate = recorded()?.has(chunk) === true),
        apply: () => this.tables.partition(this.tables.chunks, batchId).set(chunk, structuredClone(results)),
      },
      {
        holds: () => true,
        apply: () => {
          const stored = this.counts(batchId);
          stored.succeeded += succeeded;
          stored.failed += failed;
          stored.settled += succeeded + failed;
          stored.progressAt = at;
          settled = stored.settled;
        },
      },
      ...results.flatMap(({ invitation }) => (invitation ? this.tables.createInvitation(invitation) : [])),
      ...events.map((event) => this.tables.appendAudit(event)),
      ...(parentCheck && succeeded > 0 ? this.tables.stillUsable([parentCheck.parentId], parentCheck.at, true) : []),
    ];
    try {
      await this.tables.write('commitChunk', batchId, steps);
    } catch (error) {
      if (duplicate) return { outcome: 'duplicate' };
      throw error;
    }
    return { outcome: 'committed', finished: counts.total !== undefined && settled >= counts.total };
  }

  async *rowResults(batchId: string, chunkCount: number): AsyncGenerator<StoredRowResult> {
    for (let n = 0; n < chunkCount; n++) {
      const results = await this.tables.read(() => this.tables.chunks.get(batchId)?.get(n));
      if (!results) throw new Error(`Batch ${batchId} has no record of chunk ${n}`);
      yield* results;
    }
  }

  async listBatches({ limit, cursor, state, createdBy }: BatchListing): Promise<BatchPage> {
    const after = decodeCursor(cursor, isAfter)?.after;
    return this.tables.read(() => {
      const matching = this.newestFirst().filter(
        (batch) =>
          (after === undefined || batch.id < after) &&
          (state === undefined || batch.state === state) &&
          (createdBy === undefined || batch.createdBy === createdBy),
      );
      const batches = matching.slice(0, limit);
      const more = matching.length > limit;
      return { batches, ...(more && { cursor: encodeCursor({ after: batches[batches.length - 1]!.id }) }) };
    });
  }

  private newestFirst(): Batch[] {
    return [...this.tables.batches.keys()]
      .sort()
      .reverse()
      .map((id) => this.batchNow(id)!);
  }

  private batchNow(id: string): Batch | undefined {
    const stored = this.tables.batches.get(id);
    const counts = this.tables.batchCounts.get(id);
    return stored && counts && withCounts(stored, counts);
  }

  private counts(id: string): StoredCounts {
    const counts = this.tables.batchCounts.get(id);
    if (!counts) throw new Error(`Batch ${id} has no counts`);
    return counts;
  }
}

function withCounts(stored: Omit<Batch, keyof BatchCounts> & { eventPublished?: true }, counts: BatchCounts): Batch {
  const { eventPublished: _published, ...batch } = structuredClone(stored);
  return {
    ...batch,
    succeeded: counts.succeeded,
    failed: counts.failed,
    ...(counts.total !== undefined && { total: counts.total }),
    ...(counts.progressAt !== undefined && { progressAt: counts.progressAt }),
  };
}
