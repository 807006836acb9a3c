import { type Batch, finaliseEnvelope } from '../../domain/batch';
import { type Stall, type StallLimits, stallOf } from '../../domain/batch-stall';
import type { CsvLimits } from '../../domain/csv/reader';
import { rfc3339 } from '../../domain/time';
import { INPUT_RETENTION_DAYS, ROW_QUEUE, WORKER_TIMEOUT_SECONDS } from '../../config';
import { failBatch } from './ending';
import type { Deps } from '../deps';
import { resumeDispatch, splitArrivedObject, splitBatch } from './split';

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * How long each stage may stay still on AWS before the watchdog steps in: longer than the work it waits
 * for can take (the splitter's 15 minutes and Lambda's retries of its event; a finalisation's worker
 * timeout), so it never races a stage that is only slow.
 */
export const STALL_LIMITS: StallLimits = {
  upload: 20 * MINUTE,
  split: 20 * MINUTE,
  finalise: WORKER_TIMEOUT_SECONDS + MINUTE,
  rows: 15 * MINUTE,
  resend: ROW_QUEUE.retentionDays * DAY,
};

/**
 * When the embedded stack starts, nothing of its previous run is at work any more: a split it left half
 * done, a file it never split, results it never wrote are taken up at once. Pending chunks still wait on
 * the queue, which kept them.
 */
export const AFTER_RESTART_LIMITS: StallLimits = { ...STALL_LIMITS, upload: 0, split: 0, finalise: 0 };

export interface StalledBatch extends Stall {
  batchId: string;
  /** Why setting it going again failed; it is tried again on the next round. */
  error?: unknown;
}

/**
 * Looks at every batch that has not ended (created within the inputs' retention, so its file is still
 * there) and sets going again those that stopped moving (`stallOf`). Each is handled on its own: one that
 * cannot be helped is reported, and the others still are.
 */
export async function watchBatches(deps: Deps, limits: StallLimits, csvLimits: CsvLimits): Promise<StalledBatch[]> {
  const now = deps.now();
  const since = rfc3339(new Date(now.getTime() - INPUT_RETENTION_DAYS * DAY * 1000));
  const stalled: StalledBatch[] = [];
  for await (const batch of deps.batches.unfinishedBatches(since)) {
    const stall = stallOf(batch, now, limits);
    if (!stall) continue;
    try {
      const readsFile = stall.action === 'split' || stall.action === 'resume';
      if (readsFile && !(await deps.objects.info(batch.objectKey, batch.input?.versionId))) {
        // A presigned upload nobody has used yet is not a stall: the expired cleanup ends it after a day.
        if (batch.state === 'awaiting_upload') continue;
        await failBatch(deps, batch.id, 'input_missing', INPUT_MISSING);
      } else {
        await setGoing(deps, batch, stall, csvLimits);
      }
      stalled.push({ batchId: batch.id, ...stall });
    } catch (error) {
      stalled.push({ batchId: batch.id, ...stall, error });
    }
  }
  return stalled;
}

const INPUT_MISSING =
  `The batch's file is no longer in the bucket (removed, or expired after ${INPUT_RETENTION_DAYS} days), ` +
  'so its remaining rows cannot be read.';

async function setGoing(deps: Deps, batch: Batch, { action }: Stall, csvLimits: CsvLimits): Promise<void> {
  switch (action) {
    case 'split':
      if (batch.input) return splitBatch(deps, batch, csvLimits);
      // A file whose event got lost is taken as that event would have taken it.
      await splitArrivedObject(deps, batch.objectKey, csvLimits);
      return;
    case 'resume':
      return resumeDispatch(deps, batch, csvLimits);
    case 'finalise':
      return deps.rows.send([finaliseEnvelope(batch.id)]);
    case 'none':
      return;
  }
}
