import type { Origin } from '../../domain/audit';
import type { Batch, BatchSource } from '../../domain/batch';
import type { BatchRequest } from '../../domain/batch-options';
import { rfc3339 } from '../../domain/time';
import { createBatch, resolveBatchOptions } from './opening';
import type { Deps } from '../deps';

/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;

export interface BatchStart {
  request: BatchRequest;
  /** The CSV itself when it came inline; otherwise the caller uploads it to a presigned URL. */
  csv?: string;
  source: BatchSource;
  origin: Origin;
}

/** A started batch, and where to PUT its CSV when it did not come inline. */
export interface BatchStarted {
  batch: Batch;
  upload?: { url: string; expiresAt: string };
}

/**
 * The start stage, for `POST /batches` and `/delegate/batches`: with the CSV inline, store it and queue the
 * batch; otherwise give a presigned URL to PUT it to. Either way the object's arrival starts the split.
 */
export async function startBatch(deps: Deps, start: BatchStart): Promise<BatchStarted> {
  const options = await resolveBatchOptions(deps, start.request, start.source);
  const { source, origin } = start;
  const batch = await createBatch(deps, { source, origin, options });
  if (start.csv !== undefined) {
    const queued = await deps.batches.transition(batch, ['awaiting_upload'], 'queued', {
      updatedAt: rfc3339(deps.now()),
    });
    await deps.objects.write(batch.objectKey, start.csv, 'text/csv; charset=utf-8');
    return { batch: queued! };
  }
  const url = await deps.objects.presignUpload(batch.objectKey, UPLOAD_URL_SECONDS);
  const expiresAt = rfc3339(new Date(deps.now().getTime() + UPLOAD_URL_SECONDS * 1000));
  return { batch, upload: { url, expiresAt } };
}
