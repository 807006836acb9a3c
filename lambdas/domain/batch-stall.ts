import { type Batch, isFinished } from './batch';

/**
 * Where a batch that stopped moving stopped, and what sets it going again:
 * - `upload`: its file arrived but was never split (the object-created event, or the splitter's retries,
 *   got lost): split it;
 * - `split`: the splitter stopped before it had sent every chunk: send the chunks that have no outcome;
 * - `finalise`: every row has its outcome but the results were never written: ask for them again;
 * - `rows`: chunks are pending and none has been recorded for a while. Their messages wait on the queue
 *   (a worker that died leaves its message invisible for one visibility timeout), so this is reported and
 *   nothing is sent, unless it lasts longer than the queue keeps messages: then they are sent again.
 */
export const STALL_STAGES = ['upload', 'split', 'rows', 'finalise'] as const;
export type StallStage = (typeof STALL_STAGES)[number];

export type StallAction = 'split' | 'resume' | 'finalise' | 'none';

export interface Stall {
  stage: StallStage;
  action: StallAction;
  /** Seconds since the batch last moved. */
  idleSeconds: number;
}

/** How long each stage may stay still before the batch counts as stalled (seconds). */
export interface StallLimits {
  upload: number;
  split: number;
  finalise: number;
  rows: number;
  /** Past this, pending chunks' messages have expired from the queue: they are sent again. */
  resend: number;
}

const secondsBetween = (from: string, now: Date) => Math.max(0, (now.getTime() - Date.parse(from)) / 1000);

/** Whether `batch` has stopped moving at `now`, and where; undefined while it moves or has ended. */
export function stallOf(batch: Batch, now: Date, limits: StallLimits): Stall | undefined {
  const idle = secondsBetween(batch.progressAt ?? batch.dispatchedAt ?? batch.updatedAt, now);
  const stall = (stage: StallStage, action: StallAction, limit: number): Stall | undefined =>
    idle >= limit ? { stage, action, idleSeconds: Math.round(idle) } : undefined;
  switch (batch.state) {
    case 'awaiting_upload':
    case 'queued':
      return stall('upload', 'split', limits.upload);
    case 'processing':
      if (isFinished(batch)) return stall('finalise', 'finalise', limits.finalise);
      if (batch.dispatchedAt === undefined) return stall('split', 'resume', limits.split);
      return stall('rows', idle >= limits.resend ? 'resume' : 'none', limits.rows);
    default:
      return undefined;
  }
}
