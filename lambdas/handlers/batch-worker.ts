import type { SQSRecord } from 'aws-lambda';
import { retryLater, sendRowMessages } from '../adapters/row-queue';
import type { Batch, RowQueueMessage } from '../domain/batch';
import { defaultDeps } from '../usecases/deps';
import { finaliseBatch } from '../usecases/finalise-batch';
import { processChunk, requireBatch } from '../usecases/process-chunk';
import { queueVisibilityTimeoutSeconds } from '../functions';
import { countBatchRows } from './metrics';
import { RetryLater, sqsBatchHandler } from './sqs-batch';

/** A chunk waiting for one of its batch's processing slots comes back after this long. */
const SLOT_WAIT_SECONDS = 2;
/** Retries of a failed message back off: 2, 4, 8… seconds, instead of the whole visibility timeout. */
const retryDelay = (receiveCount: number) => Math.min(2 ** receiveCount, 300);

class NoFreeSlot extends RetryLater {}

async function handle(message: RowQueueMessage, record: SQSRecord): Promise<void> {
  const deps = defaultDeps();
  const receives = Number(record.attributes.ApproximateReceiveCount);
  try {
    if (message.kind === 'finalise') return await finaliseBatch(deps, message.batchId);
    const batch = await requireBatch(deps, message.batchId);
    const { recorded, finished } = await withSlot(batch, record.messageId, () => processChunk(deps, batch, message));
    countBatchRows(recorded);
    if (finished) await sendRowMessages([{ kind: 'finalise', batchId: message.batchId }]);
  } catch (error) {
    await retryLater(record.receiptHandle, error instanceof NoFreeSlot ? SLOT_WAIT_SECONDS : retryDelay(receives));
    throw error;
  }
}

/**
 * Holds one of the batch's `concurrency` processing slots while `work` runs: the seeds' `--concurrency`,
 * how many workers process one batch's rows at once. A slot left by a crashed worker frees itself once
 * the message's visibility timeout has passed.
 */
async function withSlot<T>({ id: batchId, options }: Batch, holder: string, work: () => Promise<T>): Promise<T> {
  const deps = defaultDeps();
  const now = Date.now();
  const slot = await deps.batches.acquireLease(
    batchId,
    options.concurrency,
    holder,
    now,
    now + queueVisibilityTimeoutSeconds('rows') * 1000,
  );
  if (slot === undefined) throw new NoFreeSlot(`All ${options.concurrency} slots of batch ${batchId} are busy`);
  try {
    return await work();
  } finally {
    await deps.batches.releaseLease(batchId, slot, holder);
  }
}

export const handler = sqsBatchHandler(handle);
