import type { ChunkOutcome } from '../usecases/batch/chunk';
import { logger } from './logger';
import { countBatchRows } from './metrics';

/**
 * What a recorded chunk is reported as, in the worker and the dead-letter handler alike: its rows counted,
 * and the rows that failed through a fault of ours logged with their cause.
 */
export function chunkSettled({ recorded, faults }: ChunkOutcome, batchId: string): void {
  countBatchRows(recorded);
  for (const { row, line, error } of faults) {
    logger.error('Batch row failed through an internal error', { batchId, row, line, error: error as Error });
  }
}
