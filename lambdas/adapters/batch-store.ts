import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import type { AuditEvent } from '../domain/audit';
import { rowCounts, type Batch, type BatchCounts, type BatchInput, type BatchState } from '../domain/batch';
import type { Invitation } from '../domain/invitation';
import { PARTITIONS } from '../../system/resources';
import { auditPut } from './audit-log';
import { KEYS_PER_GET, getItems } from './batch-get';
import { documents } from './clients';
import { listByKind } from './kind-list';
import { fromItem, invitationCreation, parentStillInvites, refundAllowance, spendAllowance } from './items';
import type { Spending } from './registry-store';
import { StaleState, landed, transactWrite } from './conditional-writes';

/**
 * One row's outcome as the worker records it. Successful rows keep the invitation they created, so the
 * results CSV can be written (tokens derived, invitations encoded) without reading them back one by one.
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

export interface ChunkCommit {
  batchId: string;
  chunk: number;
  /** When it is recorded: the batch's `progressAt`. */
  at: string;
  results: StoredRowResult[];
  /** One `invitation.created` event per invitation the chunk creates. */
  events: AuditEvent[];
  /** Holds the transaction to a parent that still invites, when the batch has one. */
  parentCheck?: { parentId: string; at: string };
}

/**
 * Batch records (layout, all under `BATCH#<id>`):
 * - `BATCH`: the batch itself (state, options, warnings); `listKind` puts it in the byKind index
 * - `COUNTS`: total, succeeded, failed and progressAt, kept apart so the frequent counting never rewrites the index
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

/** How a batch's move changes its parent's and ancestors' allowances (docs/SPEC.md §3.8). */
export type AllowanceChange = { spending: Spending } | { refund: { ids: string[]; units: number } };

export class BatchStore {
  constructor(
    private readonly tableName: string,
    /** Read when an event is written: functions that only read never need the audit table. */
    private readonly auditTableName: () => string,
  ) {}

  /** Records a new batch; with a drop marker, only if that dropped file has not started one already. */
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
          Item: { ...keys.counts(batch.id), entity: 'batchCounts', succeeded: 0, failed: 0 },
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
    const { Item } = await documents().send(
      new GetCommand({ TableName: this.tableName, Key: keys.drop(marker), ConsistentRead: true }),
    );
    return Item?.batchId as string | undefined;
  }

  async getBatch(id: string): Promise<Batch | undefined> {
    const [batch, counts] = await Promise.all(
      [keys.batch(id), keys.counts(id)].map((key) =>
        documents().send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      ),
    );
    if (!batch!.Item || !counts!.Item) return undefined;
    return withCounts(batch!.Item, counts!.Item);
  }

  /** A batch's counts alone: whether its rows are all accounted for, in one read. */
  async counts(id: string): Promise<BatchCounts> {
    const { Item } = await documents().send(
      new GetCommand({ TableName: this.tableName, Key: keys.counts(id), ConsistentRead: true }),
    );
    return countsOf(Item ?? {});
  }

  /**
   * Pins a batch that has no file yet to the object that arrived for it, moving it on to `queued`, in one
   * conditional write: false when the batch holds a file already or has ended.
   */
  async claimInput(id: string, input: BatchInput, at: string): Promise<boolean> {
    return landed('input claim', () =>
      documents().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.batch(id),
          UpdateExpression: 'SET #input = :input, #state = :queued, updatedAt = :at',
          ConditionExpression: 'attribute_not_exists(#input) AND #state IN (:awaiting, :queued)',
          ExpressionAttributeNames: { '#input': 'input', '#state': 'state' },
          ExpressionAttributeValues: {
            ':input': input,
            ':at': at,
            ':awaiting': 'awaiting_upload',
            ':queued': 'queued',
          },
        }),
      ),
    );
  }

  /** Records that the splitter has sent every chunk of a batch still processing. */
  async markDispatched(id: string, at: string): Promise<void> {
    await landed('dispatch mark', () =>
      documents().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.batch(id),
          UpdateExpression: 'SET dispatchedAt = :at',
          ConditionExpression: '#state = :processing',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':at': at, ':processing': 'processing' },
        }),
      ),
    );
  }

  /** Batches created since `since` (RFC 3339) that have not ended, newest first, page by page. */
  async *unfinishedBatches(since: string): AsyncGenerator<Batch> {
    const values: Record<string, unknown> = { ':kind': 'batch', ':since': encodeTime(Date.parse(since), 10) };
    UNFINISHED.forEach((state, n) => (values[`:s${n}`] = state));
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byKind',
          KeyConditionExpression: 'listKind = :kind AND id >= :since',
          FilterExpression: `#state IN (${UNFINISHED.map((_, n) => `:s${n}`).join(', ')})`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      const items = page.Items ?? [];
      const counts = await this.countsByBatch(items.map((batch) => batch.id as string));
      for (const item of items) yield withCounts(item, counts.get(item.id as string) ?? {});
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** Which of `chunks` of a batch are recorded already. */
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

  /**
   * Moves a batch from one of `from` to `to`, setting `fields` with it; false when the batch is in no
   * state of `from` (someone else moved it first) or, with `allowance`, when that change no longer fits.
   * `total` goes to the counts record in the same write, and so do the audit event of a move that ends the
   * batch and the change of its parent's and ancestors' allowances: the reservation of its rows when it
   * starts processing, the refund of the reserved units its rows did not use when it ends.
   */
  async transition(
    id: string,
    from: BatchState[],
    to: BatchState,
    fields: Partial<Batch> = {},
    audit?: AuditEvent,
    allowance?: AllowanceChange,
  ): Promise<boolean> {
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
          Key: keys.batch(id),
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
          Key: keys.counts(id),
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
    return landed('batch transition', () => transactWrite(items, 'batch transition'));
  }

  /** Marks the BatchCompleted event as published, once. False when it already was. */
  async markEventPublished(id: string): Promise<boolean> {
    return landed('event flag', () =>
      documents().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.batch(id),
          UpdateExpression: 'SET eventPublished = :true',
          ConditionExpression: 'attribute_not_exists(eventPublished)',
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
  }

  async eventPublished(id: string): Promise<boolean> {
    const { Item } = await documents().send(
      new GetCommand({ TableName: this.tableName, Key: keys.batch(id), ConsistentRead: true }),
    );
    return Item?.eventPublished === true;
  }

  private async chunkDone(batchId: string, chunk: number): Promise<boolean> {
    const { Item } = await documents().send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.chunk(batchId, chunk),
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    return Item !== undefined;
  }

  /**
   * Records one chunk exactly once, atomically: its outcomes, the invitations its good rows create and
   * the batch's counts and progress time. `duplicate` when the chunk was already recorded (a redelivered
   * message); `StaleState` when the parent stopped inviting meanwhile (re-plan the rows).
   */
  async commitChunk({
    batchId,
    chunk,
    at,
    results,
    events,
    parentCheck,
  }: ChunkCommit): Promise<'committed' | 'duplicate'> {
    const { succeeded, failed } = rowCounts(results);
    const items: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.chunk(batchId, chunk), entity: 'batchChunk', results },
          ConditionExpression: NOT_EXISTS,
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.counts(batchId),
          UpdateExpression: 'ADD succeeded :succeeded, failed :failed SET progressAt = :at',
          ExpressionAttributeValues: { ':succeeded': succeeded, ':failed': failed, ':at': at },
        },
      },
      ...results.flatMap((result) => (result.invitation ? invitationCreation(this.tableName, result.invitation) : [])),
      ...events.map((event) => auditPut(this.auditTableName(), event)),
    ];
    if (parentCheck && succeeded > 0)
      items.push(parentStillInvites(this.tableName, parentCheck.parentId, parentCheck.at));
    try {
      await transactWrite(items, 'batch chunk');
      return 'committed';
    } catch (error) {
      if (error instanceof StaleState && (await this.chunkDone(batchId, chunk))) return 'duplicate';
      throw error;
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

  /** Batches newest first, optionally only those in one state or created by one principal. */
  async listBatches(options: { limit: number; cursor?: string; state?: BatchState; createdBy?: string }) {
    const { items, cursor } = await listByKind(this.tableName, 'batch', {
      limit: options.limit,
      cursor: options.cursor,
      where: { state: options.state, createdBy: options.createdBy },
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

  /**
   * Strongly consistent BatchGetItem of up to 100 keys (only `projection` of each, when given), asking
   * again for any the table left unprocessed.
   */
}

const countsOf = (item: Record<string, unknown>): BatchCounts => ({
  succeeded: (item.succeeded as number | undefined) ?? 0,
  failed: (item.failed as number | undefined) ?? 0,
  ...(item.total !== undefined && { total: item.total as number }),
  ...(item.progressAt !== undefined && { progressAt: item.progressAt as string }),
});

function withCounts(batchItem: Record<string, unknown>, countsItem: Record<string, unknown>): Batch {
  const { listKind: _kind, eventPublished: _published, ...batch } = batchItem;
  return { ...fromItem<Batch>(batch), ...countsOf(countsItem) };
}
