import type { Batch } from '../../domain/batch';
import { notFound, RegistryError } from '../../domain/errors';
import { addDays, rfc3339 } from '../../domain/time';
import { RESULTS_RETENTION_DAYS } from '../../config';
import type { Deps } from '../deps';

/** A batch, if it exists and (for a delegate) is the caller's own. */
export async function visibleBatch(deps: Pick<Deps, 'batches'>, id: string, createdBy?: string): Promise<Batch> {
  const batch = await deps.batches.getBatch(id);
  if (!batch || (createdBy !== undefined && batch.createdBy !== createdBy)) throw notFound('Batch', { id });
  return batch;
}

/** Results up to this size come back in the answer itself; larger ones through a download URL. */
export const INLINE_RESULTS_MAX_BYTES = 4 * 1024 * 1024;
const DOWNLOAD_URL_SECONDS = 5 * 60;

/** A batch's results: the CSV itself, or where to download a large one from, for a short while. */
export type ResultsAnswer = { csv: string } | { download: { url: string; expiresAt: string; bytes: number } };

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

export async function batchResults(deps: Pick<Deps, 'objects' | 'now'>, batch: Batch): Promise<ResultsAnswer> {
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
  const info = await deps.objects.info(batch.resultsKey);
  if (!info) throw resultsGone(batch);
  if (info.size <= INLINE_RESULTS_MAX_BYTES) return { csv: (await deps.objects.readText(batch.resultsKey)) ?? '' };
  const url = await deps.objects.presignDownload(batch.resultsKey, DOWNLOAD_URL_SECONDS);
  const expiresAt = rfc3339(new Date(deps.now().getTime() + DOWNLOAD_URL_SECONDS * 1000));
  return { download: { url, expiresAt, bytes: info.size } };
}
