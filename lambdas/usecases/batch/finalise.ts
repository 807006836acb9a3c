import { publishEvent } from '../../adapters/event-bus';
import { streamToObject } from '../../adapters/objects';
import type { AllowanceChange, StoredRowResult } from '../../adapters/batch-store';
import { type Batch, isFinished } from '../../domain/batch';
import { type RowResult, csvLine, resultCells, resultHeader } from '../../domain/csv/results';
import { encodeInvitation } from '../../domain/encoding';
import { spendingChain } from '../../domain/settings';
import type { KeyRing } from '../../domain/keys';
import { rfc3339 } from '../../domain/time';
import { deriveToken } from '../../domain/tokens';
import { BUCKET_PREFIXES, EVENTS, ROWS_PER_MESSAGE } from '../../../system/resources';
import { audit } from '../audit';
import type { Deps } from '../deps';

/** Who the audit log names for what the pipeline does on its own. */
const PIPELINE = { actor: 'system:batch-pipeline' };

export const resultsKey = (batchId: string) => `${BUCKET_PREFIXES.results}${batchId}.csv`;

/**
 * Completes a batch whose rows are all accounted for: streams the results CSV (docs/SPEC.md §2.2, input order)
 * to `results/<batchId>.csv`, moves the batch to `completed` and publishes BatchCompleted. Safe to run
 * again at any point: the file is rewritten identically, the state moves once, the event goes out once
 * it is known not to have been.
 */
export async function finaliseBatch(deps: Deps, batchId: string): Promise<void> {
  let batch = await deps.batches.getBatch(batchId);
  if (!batch) return;
  if (batch.state === 'processing' && isFinished(batch)) {
    const key = resultsKey(batch.id);
    await streamToObject(key, resultLines(deps, batch, await deps.keyRing()), 'text/csv; charset=utf-8');
    const now = rfc3339(deps.now());
    const { total, succeeded, failed } = batch;
    await deps.batches.transition(
      batch.id,
      ['processing'],
      'completed',
      { completedAt: now, updatedAt: now, resultsKey: key },
      audit(deps, PIPELINE, 'batch.completed', batch.id, { total, succeeded, failed, resultsKey: key }),
      await unusedReservation(deps, batch),
    );
    batch = (await deps.batches.getBatch(batchId))!;
  }
  if (batch.state === 'completed' || batch.state === 'failed') await announce(deps, batch);
}

/** Publishes BatchCompleted for a batch that reached its end (completed, or failed as a whole file), once. */
export async function announce(deps: Deps, batch: Batch): Promise<void> {
  if (await deps.batches.eventPublished(batch.id)) return;
  await publishEvent(EVENTS.batchCompleted, {
    batchId: batch.id,
    state: batch.state,
    source: batch.source,
    total: batch.total ?? 0,
    succeeded: batch.succeeded,
    failed: batch.failed,
    ...(batch.resultsKey && { resultsKey: batch.resultsKey }),
    ...(batch.error && { error: batch.error }),
    createdBy: batch.createdBy,
  });
  await deps.batches.markEventPublished(batch.id);
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
    token,
    ...(batch.options.includeEncoded && { encoded: encodeInvitation(invitation, token, ring, batch.registryApi) }),
    validDays: invitation.validDays,
    canInvite: invitation.canInvite,
    transferable: invitation.transferable,
    deviceBound: invitation.deviceBound,
    maxDevices: invitation.maxDevices,
    invitationId: invitation.id,
    expiresAt: invitation.expiresAt,
    ...(invitation.parentId && { parentId: invitation.parentId }),
  };
}

/** Ends a batch as `failed` (the whole file refused, or its results impossible to write) and announces it. */
export async function failBatch(deps: Deps, batchId: string, code: string, message: string): Promise<void> {
  const now = rfc3339(deps.now());
  const unfinished: Batch['state'][] = ['awaiting_upload', 'queued', 'processing'];
  const fields = { error: { code, message }, updatedAt: now, completedAt: now };
  const event = audit(deps, PIPELINE, 'batch.failed', batchId, { code, message });
  const batch = await deps.batches.getBatch(batchId);
  const refund = batch && (await unusedReservation(deps, batch));
  if (await deps.batches.transition(batchId, unfinished, 'failed', fields, event, refund)) {
    await announce(deps, (await deps.batches.getBatch(batchId))!);
  }
}

/**
 * The units a batch reserved (docs/SPEC.md §3.8) that its rows did not turn into invitations, to give back to its
 * parent and ancestors as it ends: a failed row created nothing. Only to those whose records remain.
 */
async function unusedReservation(deps: Deps, batch: Batch): Promise<AllowanceChange | undefined> {
  const { parentId } = batch.options;
  const units = (batch.reservedRows ?? 0) - batch.succeeded;
  if (!parentId || units <= 0) return undefined;
  const parent = await deps.store.lineage(parentId);
  if (!parent) return undefined;
  const ids = spendingChain(parent.invitation.value, parent.ancestors).map(({ id }) => id);
  return { refund: { ids, units } };
}
