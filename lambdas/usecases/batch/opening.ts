import { config, BUCKET_PREFIXES } from '../../config';
import type { Origin } from '../../domain/audit';
import { type Batch, type BatchOptions, type BatchSource, BATCH_CONCURRENCY } from '../../domain/batch';
import { invalid } from '../../domain/errors';
import { checkS3ConfigPath } from '../../domain/invitation';
import { parentErrors, placeUnder } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { BatchRequest } from '../../domain/batch-options';
import { lineageForToken } from '../lookup';
import type { Deps } from '../deps';

/** Where a batch started by a request waits for its CSV. */
export const batchObjectKey = (batchId: string) => `${BUCKET_PREFIXES.uploads}${batchId}.csv`;

/**
 * Resolves a batch's options: defaults, and a parent (by id or token) that may invite right now under
 * usable ancestors, so a batch under a dead parent is refused before any file is sent. Every row is checked
 * against the parent again when it is created. A delegate's batch cannot give its rows another config path
 * than the parent's (docs/SPEC.md §3.3).
 */
export async function resolveBatchOptions(
  deps: Pick<Deps, 'store' | 'now'>,
  request: BatchRequest,
  source: BatchSource,
): Promise<BatchOptions> {
  const parent =
    request.parentToken !== undefined
      ? await lineageForToken(deps, request.parentToken)
      : request.parentId !== undefined
        ? await deps.store.lineage(request.parentId)
        : undefined;
  if ((request.parentToken !== undefined || request.parentId !== undefined) && !parent) throw parentErrors.missing();
  if (parent) placeUnder(parent.invitation.value, parent.ancestors, deps.now(), { units: 0, byDelegate: false });
  if (
    source === 'delegate' &&
    request.s3ConfigPath !== undefined &&
    request.s3ConfigPath !== parent?.invitation.value.s3ConfigPath
  ) {
    throw invalid('s3ConfigPath', "a delegate cannot change it: children carry the parent invitation's value");
  }
  const concurrency = request.concurrency ?? BATCH_CONCURRENCY.default;
  if (!Number.isInteger(concurrency) || concurrency < BATCH_CONCURRENCY.min || concurrency > BATCH_CONCURRENCY.max) {
    throw invalid('concurrency', `must be a whole number from ${BATCH_CONCURRENCY.min} to ${BATCH_CONCURRENCY.max}`);
  }
  return {
    ...(parent && { parentId: parent.invitation.value.id }),
    ...(request.s3ConfigPath !== undefined && { s3ConfigPath: checkS3ConfigPath(request.s3ConfigPath) }),
    includeEncoded: request.includeEncoded ?? false,
    concurrency,
    hasHeader: request.hasHeader ?? true,
    ...(request.deliver && { deliver: true }),
  };
}

/** Records a new batch waiting for its CSV at `objectKey`. */
export async function createBatch(
  deps: Pick<Deps, 'batches' | 'now' | 'newId'>,
  fields: {
    source: BatchSource;
    options: BatchOptions;
    origin: Origin;
    objectKey?: string;
  },
  dropMarker?: string,
): Promise<Batch> {
  const id = deps.newId();
  const now = rfc3339(deps.now());
  const registryApi = config.registryApiUrl();
  const batch: Batch = {
    id,
    state: 'awaiting_upload',
    source: fields.source,
    options: fields.options,
    createdBy: fields.origin.actor,
    createdAt: now,
    updatedAt: now,
    objectKey: fields.objectKey ?? batchObjectKey(id),
    warnings: [],
    succeeded: 0,
    failed: 0,
    ...(registryApi && { registryApi }),
  };
  const { parentId, includeEncoded, concurrency, deliver } = fields.options;
  const event = audit(deps, fields.origin, 'batch.started', id, {
    source: fields.source,
    objectKey: batch.objectKey,
    parentId,
    includeEncoded,
    concurrency,
    deliver,
  });
  await deps.batches.createBatch(batch, event, dropMarker);
  return batch;
}
