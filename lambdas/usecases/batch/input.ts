import type { Batch, BatchInput, BatchState } from '../../domain/batch';
import { type CsvLimits, tooLarge } from '../../domain/csv/reader';
import { rfc3339 } from '../../domain/time';
import { ObjectChanged } from '../../ports/objects';
import { failBatch } from './ending';
import type { Deps } from '../deps';

/** What became of an object that arrived for a batch (docs/SPEC.md §3.9). */
export type Arrival =
  | { outcome: 'taken'; batch: Batch }
  /** `another_file`: the batch took an earlier object; `ended`: it ended without taking one. */
  | { outcome: 'ignored'; batchId: string; reason: 'another_file' | 'ended' }
  /** Over the size limit: the batch failed and the object was removed, unread. */
  | { outcome: 'refused'; batchId: string; reason: 'too_large' };

const CLAIMABLE: readonly BatchState[] = ['awaiting_upload', 'queued'];

/** One object, however it was described: by version where both name one, else by ETag. */
const sameObject = (held: BatchInput, arrived: BatchInput): boolean =>
  held.versionId !== undefined && arrived.versionId !== undefined
    ? held.versionId === arrived.versionId
    : held.eTag === arrived.eTag;

/**
 * A batch takes exactly one file. The first object that arrives for it claims the batch in one conditional
 * write that records what the object is (ETag, version, size); any other object that arrives later, or for a
 * batch that ended without one, is ignored. The object that claimed it arriving again (a repeated event) is
 * taken again, so a split cut short goes on. A claimed object over the size limit fails the batch and is
 * removed without being read.
 */
export async function takeArrival(deps: Deps, batch: Batch, arrived: BatchInput, limits: CsvLimits): Promise<Arrival> {
  const pinned = batch.input ? batch : await claim(deps, batch, arrived);
  if (!pinned?.input) return { outcome: 'ignored', batchId: batch.id, reason: 'ended' };
  if (!sameObject(pinned.input, arrived)) return { outcome: 'ignored', batchId: batch.id, reason: 'another_file' };
  if (arrived.size > limits.maxBytes) {
    const rejection = tooLarge(limits.maxBytes, arrived.size);
    await failBatch(deps, batch.id, rejection.reason, rejection.message);
    await deps.objects.delete(batch.objectKey, arrived.versionId);
    return { outcome: 'refused', batchId: batch.id, reason: 'too_large' };
  }
  return { outcome: 'taken', batch: pinned };
}

/** The batch as it stands once `arrived` has tried to claim it: pinned to it, or to what claimed it first. */
async function claim(deps: Deps, batch: Batch, arrived: BatchInput): Promise<Batch | undefined> {
  if (!CLAIMABLE.includes(batch.state)) return batch;
  return deps.batches.claimInput(batch, arrived, rfc3339(deps.now()));
}

const INPUT_CHANGED =
  "The batch's file was replaced or removed after it arrived, so it can no longer be read as it was checked; " +
  'no rows are read from another file. Start a new batch to send a new file.';

/**
 * Opens the file the batch took, exactly as it arrived (`read` with the batch's input as its pin).
 * When that object can no longer be read, the batch fails with `input_changed` rather than read other
 * bytes, and this gives undefined.
 */
export async function openInput(deps: Deps, batch: Batch): Promise<AsyncIterable<Uint8Array> | undefined> {
  try {
    return await deps.objects.read(batch.objectKey, batch.input);
  } catch (error) {
    if (!(error instanceof ObjectChanged)) throw error;
    await failBatch(deps, batch.id, 'input_changed', INPUT_CHANGED);
    return undefined;
  }
}
