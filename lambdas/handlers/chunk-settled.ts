import { sendRowMessages } from '../adapters/row-queue';
import { finaliseEnvelope } from '../domain/batch';
import type { ChunkOutcome } from '../usecases/batch/chunk';
import { logger } from './logger';
import { countBatchRows } from './metrics';

/**
 * What follows a recorded chunk, in the worker and the dead-letter handler alike: its rows counted, the rows
 * that failed through a fault of ours logged with their cause, and the results asked for once every row of
 * the batch has an outcome.
 */
export async function chunkSettled({ recorded, finished, faults }: ChunkOutcome, batchId: string): Promise<void> {
  countBatchRows(recorded);
  for (const { row, line, error } of faults) {
    logger.error('Batch row failed through an internal error', { batchId, row, line, error: error as Error });
  }
  if (finished) await sendRowMessages([finaliseEnvelope(batchId)]);
}
