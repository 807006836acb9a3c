import { notFound, RegistryError } from '../../domain/errors';
import type { Origin } from '../../domain/audit';
import type { Batch, BatchSource } from '../../domain/batch';
import { objectInfo, presignDownload, presignUpload, readObjectText, writeObject } from '../../adapters/objects';
import { addDays, rfc3339 } from '../../domain/time';
import { RESULTS_RETENTION_DAYS } from '../../../system/resources';
import { type BatchResultsLink, type StartedBatch, type StartedBatchUpload, batchView } from '../../contract/views';
import type { Deps } from '../deps';
import { type BatchRequest, UPLOAD_URL_SECONDS, createBatch, resolveBatchOptions } from './start';

export interface BatchStart {
  request: BatchRequest;
  /** The CSV itself when it came inline; otherwise the caller uploads it to a presigned URL. */
  csv?: string;
  source: BatchSource;
  origin: Origin;
}

/**
 * `POST /batches` and `/delegate/batches`: with the CSV inline, store it and queue the batch (202);
 * otherwise answer a presigned URL to PUT it to (201). Either way the object's arrival starts the split.
 */
export async function startBatch(
  deps: Deps,
  start: BatchStart,
): Promise<{ status: number; body: StartedBatch | StartedBatchUpload }> {
  const options = await resolveBatchOptions(deps, start.request, start.source);
  const { source, origin } = start;
  const batch = await createBatch(deps, { source, origin, options });
  if (start.csv !== undefined) {
    await deps.batches.transition(batch.id, ['awaiting_upload'], 'queued', { updatedAt: rfc3339(deps.now()) });
    await writeObject(batch.objectKey, start.csv, 'text/csv; charset=utf-8');
    return { status: 202, body: { batchId: batch.id, batch: batchView((await deps.batches.getBatch(batch.id))!) } };
  }
  const uploadUrl = await presignUpload(batch.objectKey, UPLOAD_URL_SECONDS);
  const uploadExpiresAt = rfc3339(new Date(deps.now().getTime() + UPLOAD_URL_SECONDS * 1000));
  return { status: 201, body: { batchId: batch.id, uploadUrl, uploadExpiresAt, batch: batchView(batch) } };
}

/** A batch, if it exists and (for a delegate) is the caller's own. */
export async function visibleBatch(deps: Deps, id: string, createdBy?: string): Promise<Batch> {
  const batch = await deps.batches.getBatch(id);
  if (!batch || (createdBy !== undefined && batch.createdBy !== createdBy)) throw notFound('Batch', { id });
  return batch;
}

/** Results up to this size come back in the answer itself; larger ones through a download URL. */
export const INLINE_RESULTS_MAX_BYTES = 4 * 1024 * 1024;
const DOWNLOAD_URL_SECONDS = 5 * 60;

export type ResultsAnswer = { csv: string } | { link: BatchResultsLink };

/**
 * Whether the batch completed RESULTS_RETENTION_DAYS ago, the time the bucket keeps its results. Told by the
 * batch's age, not by asking S3: the functions that answer results may not list the bucket, so S3 would refuse
 * (403) rather than say the file is gone. The bucket's lifecycle expires the file that many days after it was
 * written, at the next midnight UTC at the soonest.
 */
const resultsExpired = ({ completedAt }: Batch, now: Date): boolean =>
  completedAt !== undefined && addDays(new Date(completedAt), RESULTS_RETENTION_DAYS) <= now;

const resultsGone = (batch: Batch) =>
  new RegistryError(410, 'results_expired', `The results of batch ${batch.id} are no longer kept`);

export async function batchResults(deps: Deps, batch: Batch): Promise<ResultsAnswer> {
  if (!batch.resultsKey) {
    throw new RegistryError(
      409,
      'results_not_ready',
      `Batch ${batch.id} is ${batch.state}: its results are not ready`,
      {
        state: batch.state,
      },
    );
  }
  if (resultsExpired(batch, deps.now())) throw resultsGone(batch);
  const info = await objectInfo(batch.resultsKey);
  if (!info) throw resultsGone(batch);
  if (info.size <= INLINE_RESULTS_MAX_BYTES) return { csv: (await readObjectText(batch.resultsKey)) ?? '' };
  const downloadUrl = await presignDownload(batch.resultsKey, DOWNLOAD_URL_SECONDS);
  const expiresAt = rfc3339(new Date(deps.now().getTime() + DOWNLOAD_URL_SECONDS * 1000));
  return { link: { batchId: batch.id, downloadUrl, expiresAt, bytes: info.size } };
}
