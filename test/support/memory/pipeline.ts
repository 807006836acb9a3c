import { parse } from 'csv-parse/sync';
import type { Batch, RowQueueMessage } from '../../../lambdas/domain/batch';
import { failChunk, processChunk } from '../../../lambdas/usecases/batch/chunk';
import { finaliseBatch } from '../../../lambdas/usecases/batch/finalise';
import { batchResults } from '../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../lambdas/usecases/batch/start';
import { splitArrivedObject } from '../../../lambdas/usecases/batch/split';
import type { BatchRequest } from '../../../lambdas/domain/batch-options';
import type { Deps } from '../../../lambdas/usecases/deps';
import { ROW_QUEUE } from '../../../system/resources';
import { AS_ADMIN } from '../origins';
import type { MemoryRowQueue } from './row-queue';

/** What the dead-letter handler records for a chunk that kept failing. */
export const POISON_REASON = `could not be processed after ${ROW_QUEUE.maxReceiveCount} attempts`;

export interface DrainOptions {
  /** Hand every chunk to the worker twice, as SQS's at-least-once delivery may. */
  deliverTwice?: boolean;
  /** These chunks go to the dead-letter handler instead, as if they kept failing. */
  poisonChunks?: number[];
  /** Messages taken off the queue and lost, as a crash loses them. */
  lose?: (message: RowQueueMessage) => boolean;
}

/**
 * Plays the batch worker and the dead-letter handler on the in-memory row queue: runs the stage each message
 * asks for, until the queue is empty.
 */
export async function drain(deps: Deps & { rows: MemoryRowQueue }, options: DrainOptions = {}): Promise<void> {
  for (let messages = deps.rows.take(); messages.length > 0; messages = deps.rows.take()) {
    for (const message of messages) {
      if (options.lose?.(message)) continue;
      if (message.kind === 'finalise') await finaliseBatch(deps, message.batchId);
      else if (options.poisonChunks?.includes(message.chunk)) await failChunk(deps, message, POISON_REASON);
      else {
        await processChunk(deps, message);
        if (options.deliverTwice) await processChunk(deps, message);
      }
    }
  }
}

/** Starts a batch with an inline CSV, splits it as its object's arrival would, and drains the row queue. */
export async function runBatch(
  deps: Deps & { rows: MemoryRowQueue },
  csv: string,
  request: BatchRequest = {},
  options: DrainOptions = {},
): Promise<Batch> {
  const { batch } = await startBatch(deps, { request, csv, source: 'api', origin: AS_ADMIN });
  await splitArrivedObject(deps, batch.objectKey);
  await drain(deps, options);
  return (await deps.batches.getBatch(batch.id))!;
}

/** The results CSV of a completed batch, as records by column name. */
export async function resultRows(deps: Deps, batch: Batch): Promise<Record<string, string>[]> {
  const answer = await batchResults(deps, batch);
  if (!('csv' in answer)) throw new Error('expected inline results');
  return parse(answer.csv, { columns: true, bom: true });
}
