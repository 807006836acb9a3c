import type { Batch } from '../domain/batch';
import type { ResultsAnswer } from '../usecases/batch/requests';
import type { BatchStarted } from '../usecases/batch/start';
import { type BatchResultsLink, type StartedBatch, type StartedBatchUpload, batchView } from '../contract/views';
import type { RouteResult } from './http';

/** A started batch: 202 when its CSV came inline and it is queued, else 201 with the URL to PUT the CSV to. */
export function startedResult({ batch, upload }: BatchStarted): RouteResult {
  if (!upload) return { status: 202, body: { batchId: batch.id, batch: batchView(batch) } satisfies StartedBatch };
  const body: StartedBatchUpload = {
    batchId: batch.id,
    uploadUrl: upload.url,
    uploadExpiresAt: upload.expiresAt,
    batch: batchView(batch),
  };
  return { status: 201, body };
}

/** A batch as the API shows it. */
export const batchResult = (batch: Batch): RouteResult => ({ body: { batch: batchView(batch) } });

/** The results CSV itself, or the JSON link to download a large one. */
export function resultsResult(batch: Batch, answer: ResultsAnswer): RouteResult {
  if ('csv' in answer) return { body: answer.csv, contentType: 'text/csv; charset=utf-8' };
  const { url, expiresAt, bytes } = answer.download;
  const link: BatchResultsLink = { batchId: batch.id, downloadUrl: url, expiresAt, bytes };
  return { body: link };
}
