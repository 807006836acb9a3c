import { type Batch, type StoredRowResult, isFinished, ROWS_PER_MESSAGE } from '../../domain/batch';
import { type RowResult, csvLine, resultCells, resultHeader } from '../../domain/csv/results';
import { encodeInvitation } from '../../domain/encoding';
import { COLUMN_SETTINGS, pickSettings } from '../../domain/invitation-settings';
import type { KeyRing } from '../../domain/keys';
import { rfc3339 } from '../../domain/time';
import { deriveToken } from '../../domain/tokens';
import { BUCKET_PREFIXES } from '../../config';
import { audit } from '../audit';
import { PIPELINE, announce, unusedReservation } from './ending';
import type { Deps } from '../deps';
import { type Lease, underLease } from './pipeline';

export const resultsKey = (batchId: string) => `${BUCKET_PREFIXES.results}${batchId}.csv`;

/**
 * The finalise stage, for a request for a batch's results: once all its rows are accounted for, streams the
 * results CSV (docs/SPEC.md §2.2, input order) to `results/<batchId>.csv`, moves the batch to `completed` and
 * publishes BatchCompleted. Safe to run again at any point: the file is rewritten identically, the state
 * moves once, the event goes out once it is known not to have been.
 */
export async function finaliseBatch(deps: Deps, batchId: string, lease?: Lease): Promise<void> {
  await underLease(deps, lease, async () => {
    const batch = await deps.batches.getBatch(batchId);
    if (!batch) return;
    const ended = batch.state === 'processing' && isFinished(batch) ? await complete(deps, batch) : batch;
    if (ended.state === 'completed' || ended.state === 'failed') await announce(deps, ended);
  });
}

/** Writes the results and moves the batch to `completed`: the batch as it then stands. */
async function complete(deps: Deps, batch: Batch): Promise<Batch> {
  const key = resultsKey(batch.id);
  await deps.objects.writeStream(key, resultLines(deps, batch, await deps.keyRing()), 'text/csv; charset=utf-8');
  const now = rfc3339(deps.now());
  const { total, succeeded, failed } = batch;
  const completed = await deps.batches.transition(
    batch,
    ['processing'],
    'completed',
    { completedAt: now, updatedAt: now, resultsKey: key },
    audit(deps, PIPELINE, 'batch.completed', batch.id, { total, succeeded, failed, resultsKey: key }),
    await unusedReservation(deps, batch),
  );
  // Moved meanwhile by another request for its results (or failed): as that left it.
  return completed ?? (await deps.batches.getBatch(batch.id))!;
}

async function* resultLines(deps: Deps, batch: Batch, ring: KeyRing): AsyncGenerator<string> {
  const { includeEncoded } = batch.options;
  yield csvLine(resultHeader(includeEncoded));
  for await (const stored of deps.batches.rowResults(batch.id, Math.ceil((batch.total ?? 0) / ROWS_PER_MESSAGE))) {
    yield csvLine(resultCells(rowResult(stored, batch, ring), includeEncoded));
  }
}

function rowResult(stored: StoredRowResult, batch: Batch, ring: KeyRing): RowResult {
  const { invitation, ...outcome } = stored;
  if (!invitation) return outcome;
  const token = deriveToken(ring, invitation.keyId, invitation.id, 1);
  return {
    ...outcome,
    ...pickSettings(invitation, COLUMN_SETTINGS),
    token,
    ...(batch.options.includeEncoded && { encoded: encodeInvitation(invitation, token, ring, batch.registryApi) }),
    invitationId: invitation.id,
    expiresAt: invitation.expiresAt,
    ...(invitation.parentId && { parentId: invitation.parentId }),
    ...(invitation.email && { email: invitation.email }),
  };
}
