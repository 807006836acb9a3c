import { documents } from '../../../../lambdas/adapters/clients';
import { config } from '../../../../lambdas/config';
import type { Batch, BatchCounts, StoredRowResult } from '../../../../lambdas/domain/batch';
import { PARTITIONS } from '../../../../system/resources';
import { createBatch, resolveBatchOptions } from '../../../../lambdas/usecases/batch/opening';
import { AS_ADMIN, integrationDeps } from '../../../support/deps';
import { batchRepositoryContract } from '../../../support/port-contracts/batch-repository';
import { recordTableCalls } from '../../../support/table-calls';

/**
 * The batch store against DynamoDB Local: the batch repository's contract, and what only DynamoDB shows: a
 * chunk's write learns what it needs from the write alone (one TransactWriteItems, or a second when its first
 * found other counts), whatever other writers did in between.
 */
jest.setTimeout(30_000);

const deps = integrationDeps();

async function processingBatch(total: number): Promise<Batch> {
  const options = await resolveBatchOptions(deps, {}, 'api');
  const batch = await createBatch(deps, { source: 'api', options, origin: AS_ADMIN });
  const at = new Date().toISOString();
  return (await deps.batches.transition(batch, ['awaiting_upload'], 'processing', {
    total,
    warnings: [],
    updatedAt: at,
  }))!;
}

const failedRows = (first: number, count: number): StoredRowResult[] =>
  Array.from({ length: count }, (_, n) => ({
    row: first + n,
    line: first + n + 1,
    status: 'Failed' as const,
    name: `Row-${first + n}`,
    type: 'read_only',
    error: 'refused',
  }));

/** Records chunk `chunk` of rows `first…`, its writer having read the batch's counts as `counts`. */
async function commit(batch: Batch, chunk: number, first: number, count: number, counts: BatchCounts) {
  const recording = recordTableCalls();
  try {
    const record = await deps.batches.commitChunk({
      batchId: batch.id,
      chunk,
      at: new Date().toISOString(),
      results: failedRows(first, count),
      events: [],
      counts,
    });
    return {
      record,
      operations: [...new Set(recording.calls.map(({ request, operation }) => `${request} ${operation}`))],
    };
  } finally {
    recording.stop();
  }
}

describe('the DynamoDB batch store against DynamoDB Local', () => {
  batchRepositoryContract(async () => deps);

  test('a chunk whose counts were read before another chunk landed still learns, from its write alone, that it settled the batch', async () => {
    const batch = await processingBatch(6);
    expect(await commit(batch, 0, 1, 3, batch)).toEqual({
      record: { outcome: 'committed', finished: false },
      operations: ['0 TransactWriteItems'],
    });
    // Read before chunk 0 landed: its condition no longer holds, and the refusal tells it the counts it found.
    expect(await commit(batch, 1, 4, 3, batch)).toEqual({
      record: { outcome: 'committed', finished: true },
      operations: ['0 TransactWriteItems', '1 TransactWriteItems'],
    });
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({ total: 6, succeeded: 0, failed: 6 });
  });

  test('a chunk recorded already is a duplicate, told by the refused write alone, and counts nothing', async () => {
    const batch = await processingBatch(4);
    await commit(batch, 0, 1, 2, batch);
    expect(await commit(batch, 0, 1, 2, batch)).toEqual({
      record: { outcome: 'duplicate' },
      operations: ['0 TransactWriteItems'],
    });
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({ succeeded: 0, failed: 2 });
  });

  test('counts kept without their sum (settled) get it on the first chunk recorded, and the last chunk still knows', async () => {
    const batch = await processingBatch(4);
    await documents().update({
      TableName: config.tableName(),
      Key: { pk: `${PARTITIONS.batch}${batch.id}`, sk: 'COUNTS' },
      UpdateExpression: 'REMOVE settled',
    });
    expect((await commit(batch, 0, 1, 2, batch)).record).toEqual({ outcome: 'committed', finished: false });
    expect((await commit(batch, 1, 3, 2, batch)).record).toEqual({ outcome: 'committed', finished: true });
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({ succeeded: 0, failed: 4 });
  });
});
