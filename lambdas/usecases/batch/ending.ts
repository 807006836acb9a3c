import type { Batch } from '../../domain/batch';
import { spendingChain } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import type { AllowanceChange } from '../../ports/batches';
import { EVENTS } from '../../config';
import { audit } from '../audit';
import type { Deps } from '../deps';

/** Who the audit log names for what the pipeline does on its own. */
export const PIPELINE = { actor: 'system:batch-pipeline' };

type EndingDeps = Pick<Deps, 'batches' | 'store' | 'events' | 'now' | 'newId'>;

const UNFINISHED: readonly Batch['state'][] = ['awaiting_upload', 'queued', 'processing'];

/** Ends a batch as `failed` (the whole file refused, or its results impossible to write) and announces it. */
export async function failBatch(deps: EndingDeps, batchId: string, code: string, message: string): Promise<void> {
  const now = rfc3339(deps.now());
  const fields = { error: { code, message }, updatedAt: now, completedAt: now };
  const event = audit(deps, PIPELINE, 'batch.failed', batchId, { code, message });
  const batch = await deps.batches.getBatch(batchId);
  if (!batch) return;
  const failed = await deps.batches.transition(
    batch,
    UNFINISHED,
    'failed',
    fields,
    event,
    await unusedReservation(deps, batch),
  );
  if (failed) await announce(deps, failed);
}

/** Publishes BatchCompleted for a batch that reached its end (completed, or failed as a whole file), once. */
export async function announce(deps: Pick<Deps, 'batches' | 'events'>, batch: Batch): Promise<void> {
  if (await deps.batches.eventPublished(batch.id)) return;
  await deps.events.publish(EVENTS.batchCompleted, {
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

/**
 * The units a batch reserved (docs/SPEC.md §3.8) that its rows did not turn into invitations, to give back to its
 * parent and ancestors as it ends: a failed row created nothing. Only to those whose records remain.
 */
export async function unusedReservation(deps: Pick<Deps, 'store'>, batch: Batch): Promise<AllowanceChange | undefined> {
  const { parentId } = batch.options;
  const units = (batch.reservedRows ?? 0) - batch.succeeded;
  if (!parentId || units <= 0) return undefined;
  const parent = await deps.store.lineage(parentId);
  if (!parent) return undefined;
  const ids = spendingChain(parent.invitation.value, parent.ancestors).map(({ id }) => id);
  return { refund: { ids, units } };
}
