import { FUNCTIONS } from '../../system/functions';
import { ROW_QUEUE, ROWS_PER_MESSAGE } from '../../system/resources';
import { BATCH_CONCURRENCY } from '../../lambdas/domain/batch';
import type { PipelinePlan } from './pipeline-run';

/** Batches run through the whole pipeline, each beside the BatchWriteItem ceiling for as many rows. */
export const PIPELINE_PLANS: readonly PipelinePlan[] = [
  { rows: 10_000, batchConcurrency: BATCH_CONCURRENCY.default },
  { rows: 100_000, batchConcurrency: BATCH_CONCURRENCY.default },
];

/** Files split by the splitter alone, for its peak memory: the claim is that it stays flat over 10× the rows. */
export const SPLIT_ROWS = [100_000, 1_000_000] as const;

/** The stack runs with its defaults; the report states them. */
export const PIPELINE_SETTINGS = {
  workerConcurrency: ROW_QUEUE.defaultMaxConcurrency,
  messagesPerInvocation: ROW_QUEUE.batchSize,
  rowsPerMessage: ROWS_PER_MESSAGE,
  splitterMemoryMb: FUNCTIONS.batchSplitter.memoryMb,
} as const;
