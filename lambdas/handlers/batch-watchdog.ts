import type { ScheduledEvent } from 'aws-lambda';
import { config } from '../config';
import { AFTER_RESTART_LIMITS, STALL_LIMITS, watchBatches } from '../usecases/batch/watch';
import { defaultDeps } from '../adapters/composition';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/** What the embedded stack sends once when it starts: nothing of its previous run is at work any more. */
export interface AfterRestart {
  afterRestart: true;
}

const isAfterRestart = (event: ScheduledEvent | AfterRestart): event is AfterRestart =>
  (event as AfterRestart).afterRestart === true;

/**
 * The batch watchdog, run on a schedule: every batch that stopped moving is set going again where it can be
 * and reported (a warning in the log and `BatchesStalled` by stage, which an alarm watches).
 */
export const handler = lambdaHandler(async (event: ScheduledEvent | AfterRestart): Promise<void> => {
  const limits = isAfterRestart(event) ? AFTER_RESTART_LIMITS : STALL_LIMITS;
  const stalled = await watchBatches(defaultDeps(), limits, config.batchCsvLimits());
  for (const { batchId, stage, action, idleSeconds, error } of stalled) {
    countMetric('BatchesStalled', { stage });
    if (error === undefined) logger.warn('Batch stalled', { batchId, stage, action, idleSeconds });
    else logger.error('Stalled batch not set going', { batchId, stage, action, idleSeconds, error: error as Error });
  }
});
