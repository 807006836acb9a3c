import { encodeTime } from 'ulid';
import type { AuditEvent } from '../domain/audit';
import {
  type Batch,
  type BatchCounts,
  type BatchInput,
  type BatchState,
  type StoredRowResult,
  rowCounts,
} from '../domain/batch';
import type {
  AllowanceChange,
  BatchListing,
  BatchPage,
  BatchRepository,
  ChunkCommit,
  ChunkRecord,
} from '../ports/batches';
import { PARTITIONS } from '../config';
import { auditPut } from './audit-items';
import { KEYS_PER_GET, getItems } from './batch-get';
import type { CancellationReason } from './aws/documents';
import { documents } from './clients';
import { listByKind } from './kind-list';
import { fromItem, invitationCreation, parentStillInvites, refundAllowance, spendAllowance } from './items';
import { StaleState } from '../ports/common';
import { guarded, landed, transactWrite } from './conditional-writes';

/**
 * Batch records (layout, all under `BATCH#<id>`):
 * - `BATCH`: the batch itself (state, options, warnings); `listKind` puts it in the byKind index
 * - `COUNTS`: total, succeeded, failed, settled (their sum) and progressAt, kept apart so the frequent counting
 *   never rewrites the index
 * - `CHUNK#<n>`: one processed chunk of rows and their outcomes; its existence makes a chunk count once
 * and `DROP#<hash of bucket, key, etag>`: the batch a dropped file started, so a repeated event starts none.
 */
const keys = {
  batch: (id: string) => ({ pk: `${PARTITIONS.batch}${id}`, sk: 'BATCH' }),
  counts: (id: string) => ({ pk: `${PARTITIONS.batch}${id}`, sk: 'COUNTS' }),
  chunk: (id: string, chunk: number) => ({
    pk: `${PARTITIONS.batch}${id}`,
    sk: `CHUNK#${String(chunk).padStart(7, '0')}`,
  }),
  drop: (marker: string) => ({ pk: `${PARTITIONS.drop}${marker}`, sk: 'DROP' }),
};

/** BatchGetItem's limit, and how many such calls a results read keeps in flight. */
const CHUNKS_PER_GET = KEYS_PER_GET;
const GETS_IN_FLIGHT = 4;
const NOT_EXISTS = 'attribute_not_exists(pk)';
const UNFINISHED: BatchState[] = ['awaiting_upload', 'queued', 'processing'];

/**
 * How a chunk's write of the counts learns whether it settles the batch, without reading them again:
 * - `settled`: the counts as read already settle the batch with this chunk (counts only grow);
 * - `below`: it holds only while `settled` stays below what would settle it, so a write that lands did not;
 *   the write that finds it no longer holds learns the counts from the failed condition;
 * - `exact`: it holds only on the counts it learnt, so it knows where it leaves them (this also gives a
 *   counts record written without `settled` its sum).
 */
type CountsGuard =
  | { kind: 'settled'; finished: boolean }
  | { kind: 'below'; threshold: number }
  | { kind: 'exact'; succeeded: number; failed: number; finished: boolean };

const cancellationReasons = (error: unknown): CancellationReason[] =>
  (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];

export class BatchStore implements BatchRepository {
  constructor(
    private readonly tableName: string,
    /** Read when an event is written: functions that only read never need the audit table. */
    private readonly auditTableName: () => string,
  ) {}

  async createBatch(batch: Batch, audit: AuditEvent, dropMarker?: string): Promise<void> {
    const { total: _total, succeeded: _succeeded, failed: _failed, ...record } = batch;
    const items: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.batch(batch.id), entity: 'batch', listKind: 'batch', ...record },
          ConditionExpression: NOT_EXISTS,
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.counts(batch.id), entity: 'batchCounts', succeeded: 0, failed: 0, settled: 0 },
          ConditionExpression: NOT_EXISTS,
        },
      },
      auditPut(this.auditTableName(), audit),
    ];
    if (dropMarker) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.drop(dropMarker), entity: 'drop', batchId: batch.id },
          ConditionExpression: NOT_EXISTS,
        },
      });
    }
    await transactWrite(items, 'batch creation');
  }

  async batchIdForDrop(marker: string): Promise<string | undefined> {
    const { Item } = await documents().get({ TableName: this.tableName, Key: keys.drop(marker), ConsistentRead: true });
    return Item?.batchId as string | undefined;
  }

  /** The batch record and its counts in one strongly consistent BatchGetItem. */
  async getBatch(id: string): Promise<Batch | undefined> {
    const items = await getItems(this.tableName, [keys.batch(id), keys.counts(id)]);
    const batch = items.find((item) => item.sk === 'BATCH');
    const counts = items.find((item) => item.sk === 'COUNTS');
    return batch && counts ? withCounts(batch, counts) : undefined;
  }

  async claimInput(batch: Batch, input: BatchInput, at: string): Promise<Batch | undefined> {
    try {
      const { Attributes } = await guarded('input claim', () =>
        documents().update({
          TableName: this.tableName,
          Key: keys.batch(batch.id),
          UpdateExpression: 'SET #input = :input, #state = :queued, updatedAt = :at',
          ConditionExpression: 'attribute_not_exists(#input) AND #state IN (:awaiting, :queued)',
          ExpressionAttributeNames: { '#input': 'input', '#state': 'state' },
          ExpressionAttributeValues: {
            ':input': input,
            ':at': at,
            ':awaiting': 'awaiting_upload',
            ':queued': 'queued',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withCounts(Attributes!, batch);
    } catch (error) {
      if (!(error instanceof StaleState)) throw error;
      // Another object claimed it first, or the batch ended: only the record itself says which.
      return this.getBatch(batch.id);
    }
  }

  async markDispatched(id: string, at: string): Promise<void> {
    await landed('dispatch mark', () =>
      documents().update({
        TableName: this.tableName,
        Key: keys.batch(id),
        UpdateExpression: 'SET dispatchedAt = :at',
        ConditionExpression: '#state = :processing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':at': at, ':processing': 'processing' },
      }),
    );
  }

  async *unfinishedBatches(since: string): AsyncGenerator<Batch> {
    const values: Record<string, unknown> = { ':kind': 'batch', ':since': encodeTime(Date.parse(since), 10) };
    UNFINISHED.forEach((state, n) => (values[`:s${n}`] = state));
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents().query({
        TableName: this.tableName,
        IndexName: 'byKind',
        KeyConditionExpression: 'listKind = :kind AND id >= :since',
        FilterExpression: `#state IN (${UNFINISHED.map((_, n) => `:s${n}`).join(', ')})`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      });
      const items = page.Items ?? [];
      const counts = await this.countsByBatch(items.map((batch) => batch.id as string));
      for (const item of items) yield withCounts(item, counts.get(item.id as string) ?? {});
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async recordedChunks(batchId: string, chunks: number[]): Promise<Set<number>> {
    const recorded = new Set<number>();
    for (let start = 0; start < chunks.length; start += CHUNKS_PER_GET) {
      const group = chunks.slice(start, start + CHUNKS_PER_GET);
      for (const item of await getItems(
        this.tableName,
        group.map((n) => keys.chunk(batchId, n)),
        'sk',
      )) {
        recorded.add(Number((item.sk as string).slice('CHUNK#'.length)));
      }
    }
    return recorded;
  }

  /** `total` goes to the counts record in the same transaction as the move. */
  async transition(
    batch: Batch,
    from: readonly BatchState[],
    to: BatchState,
    fields: Partial<Batch> = {},
    audit?: AuditEvent,
    allowance?: AllowanceChange,
  ): Promise<Batch | undefined> {
    const { total, succeeded: _s, failed: _f, ...batchFields } = fields;
    const assignments: Record<string, unknown> = { ...batchFields, state: to };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const update = Object.entries(assignments).map(([field, value], n) => {
      names[`#f${n}`] = field;
      values[`:v${n}`] = value;
      return `#f${n} = :v${n}`;
    });
    from.forEach((state, n) => (values[`:from${n}`] = state));
    names['#state'] = 'state';
    const items: Record<string, unknown>[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.batch(batch.id),
          UpdateExpression: `SET ${update.join(', ')}`,
          ConditionExpression: `#state IN (${from.map((_, n) => `:from${n}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
    if (total !== undefined) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.counts(batch.id),
          UpdateExpression: 'SET #total = :total',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':total': total },
        },
      });
    }
    if (audit) items.push(auditPut(this.auditTableName(), audit));
    if (allowance && 'spending' in allowance) {
      items.push(...spendAllowance(this.tableName, allowance.spending.spends, allowance.spending.at));
    } else if (allowance && allowance.refund.units > 0) {
      items.push(...refundAllowance(this.tableName, allowance.refund.ids, allowance.refund.units));
    }
    if (!(await landed('batch transition', () => transactWrite(items, 'batch transition')))) return undefined;
    return { ...batch, ...batchFields, ...(total !== undefined && { total }), state: to };
  }

  async markEventPublished(id: string): Promise<boolean> {
    return landed('event flag', () =>
      documents().update({
        TableName: this.tableName,
        Key: keys.batch(id),
        UpdateExpression: 'SET eventPublished = :true',
        ConditionExpression: 'attribute_not_exists(eventPublished)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async eventPublished(id: string): Promise<boolean> {
    const { Item } = await documents().get({ TableName: this.tableName, Key: keys.batch(id), ConsistentRead: true });
    return Item?.eventPublished === true;
  }

  /**
   * One TransactWriteItems: the chunk record (only if it does not exist), the counts, the invitations and
   * their events, and the parent check. A cancelled write says why item by item, with the counts it found:
   * so a duplicate is told apart, and whether the chunk settles the batch is learnt, without a read.
   */
  async commitChunk({ batchId, chunk, at, results, events, parentCheck, counts }: ChunkCommit): Promise<ChunkRecord> {
    const { succeeded, failed } = rowCounts(results);
    const settles = succeeded + failed;
    const { total } = counts;
    let guard: CountsGuard =
      total === undefined || counts.succeeded + counts.failed + settles >= total
        ? { kind: 'settled', finished: total !== undefined }
        : { kind: 'below', threshold: total - settles };
    const rest: Record<string, unknown>[] = [
      ...results.flatMap((result) => (result.invitation ? invitationCreation(this.tableName, result.invitation) : [])),
      ...events.map((event) => auditPut(this.auditTableName(), event)),
      ...(parentCheck && succeeded > 0
        ? [parentStillInvites(this.tableName, parentCheck.parentId, parentCheck.at)]
        : []),
    ];
    for (;;) {
      const record: Record<string, unknown> = {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.chunk(batchId, chunk), entity: 'batchChunk', results },
          ConditionExpression: NOT_EXISTS,
        },
      };
      const reasons: CancellationReason[] = [];
      const transaction = {
        TransactItems: [record, this.countsUpdate(batchId, at, succeeded, failed, guard), ...rest] as never,
      };
      try {
        await guarded('batch chunk', () =>
          documents()
            .transactWrite(transaction)
            .catch((error: unknown) => {
              reasons.push(...cancellationReasons(error));
              throw error;
            }),
        );
        return { outcome: 'committed', finished: guard.kind !== 'below' && guard.finished };
      } catch (error) {
        if (!(error instanceof StaleState)) throw error;
        const [chunkReason, countsReason] = reasons;
        if (chunkReason?.Code === 'ConditionalCheckFailed') return { outcome: 'duplicate' };
        if (countsReason?.Code !== 'ConditionalCheckFailed' || !countsReason.Item || total === undefined) throw error;
        const found = { succeeded: numberIn(countsReason.Item.succeeded), failed: numberIn(countsReason.Item.failed) };
        guard = { kind: 'exact', ...found, finished: found.succeeded + found.failed + settles >= total };
      }
    }
  }

  private countsUpdate(batchId: string, at: string, succeeded: number, failed: number, guard: CountsGuard) {
    const update = {
      TableName: this.tableName,
      Key: keys.counts(batchId),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    const added = { ':succeeded': succeeded, ':failed': failed, ':settled': succeeded + failed, ':at': at };
    switch (guard.kind) {
      case 'settled':
        return {
          Update: {
            ...update,
            UpdateExpression: 'ADD succeeded :succeeded, failed :failed, settled :settled SET progressAt = :at',
            ExpressionAttributeValues: added,
          },
        };
      case 'below':
        return {
          Update: {
            ...update,
            UpdateExpression: 'ADD succeeded :succeeded, failed :failed, settled :settled SET progressAt = :at',
            ConditionExpression: 'settled < :threshold',
            ExpressionAttributeValues: { ...added, ':threshold': guard.threshold },
          },
        };
      case 'exact':
        return {
          Update: {
            ...update,
            UpdateExpression: 'SET succeeded = :succeeded, failed = :failed, settled = :settled, progressAt = :at',
            ConditionExpression: 'succeeded = :found_succeeded AND failed = :found_failed',
            ExpressionAttributeValues: {
              ':succeeded': guard.succeeded + succeeded,
              ':failed': guard.failed + failed,
              ':settled': guard.succeeded + guard.failed + succeeded + failed,
              ':at': at,
              ':found_succeeded': guard.succeeded,
              ':found_failed': guard.failed,
            },
          },
        };
    }
  }

  /**
   * Every recorded row outcome in row order, reading chunks `0…chunkCount-1` by key, a few BatchGetItem
   * calls of 100 chunks in flight: each read costs the same however far into the batch it is.
   */
  async *rowResults(batchId: string, chunkCount: number): AsyncGenerator<StoredRowResult> {
    const perWindow = CHUNKS_PER_GET * GETS_IN_FLIGHT;
    for (let first = 0; first < chunkCount; first += perWindow) {
      const numbers = Array.from({ length: Math.min(perWindow, chunkCount - first) }, (_, n) => first + n);
      const groups = Array.from({ length: Math.ceil(numbers.length / CHUNKS_PER_GET) }, (_, g) =>
        numbers.slice(g * CHUNKS_PER_GET, (g + 1) * CHUNKS_PER_GET),
      );
      const found = new Map<string, Record<string, unknown>>();
      for (const items of await Promise.all(
        groups.map((group) =>
          getItems(
            this.tableName,
            group.map((n) => keys.chunk(batchId, n)),
          ),
        ),
      )) {
        for (const item of items) found.set(item.sk as string, item);
      }
      for (const n of numbers) {
        const chunk = found.get(keys.chunk(batchId, n).sk);
        if (!chunk) throw new Error(`Batch ${batchId} has no record of chunk ${n}`);
        yield* chunk.results as StoredRowResult[];
      }
    }
  }

  async listBatches(listing: BatchListing): Promise<BatchPage> {
    const { items, cursor } = await listByKind(this.tableName, 'batch', {
      limit: listing.limit,
      cursor: listing.cursor,
      where: { state: listing.state, createdBy: listing.createdBy },
    });
    const counts = await this.countsByBatch(items.map((batch) => batch.id as string));
    return {
      batches: items.map((batch) => withCounts(batch, counts.get(batch.id as string) ?? {})),
      ...(cursor && { cursor }),
    };
  }

  private async countsByBatch(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const counts = new Map<string, Record<string, unknown>>();
    for (let start = 0; start < ids.length; start += CHUNKS_PER_GET) {
      const items = await getItems(this.tableName, ids.slice(start, start + CHUNKS_PER_GET).map(keys.counts));
      for (const item of items) counts.set((item.pk as string).slice(PARTITIONS.batch.length), item);
    }
    return counts;
  }
}

/** A number as a cancelled transaction gives it back: in DynamoDB's own JSON. */
const numberIn = (value: unknown): number => Number(value ?? 0);

const countsOf = (item: Record<string, unknown> | BatchCounts): BatchCounts => ({
  succeeded: (item.succeeded as number | undefined) ?? 0,
  failed: (item.failed as number | undefined) ?? 0,
  ...(item.total !== undefined && { total: item.total as number }),
  ...(item.progressAt !== undefined && { progressAt: item.progressAt as string }),
});

function withCounts(batchItem: Record<string, unknown>, countsItem: Record<string, unknown> | BatchCounts): Batch {
  const { listKind: _kind, eventPublished: _published, ...batch } = batchItem;
  return { ...fromItem<Batch>(batch), ...countsOf(countsItem) };
}
