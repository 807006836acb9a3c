import type { StoredRowResult } from '../../adapters/batch-store';
import type { Lineage } from '../../adapters/registry-store';
import { config } from '../../config';
import type { AuditEvent } from '../../domain/audit';
import { type Batch, type BatchRow, type RowChunk, type RowCounts, isFinished, rowCounts } from '../../domain/batch';
import { RegistryError } from '../../domain/errors';
import type { KeyRing } from '../../domain/keys';
import { parentErrors, placeUnder, resolveSettings } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import type { Deps } from '../deps';
import { creationEvent, newInvitation } from '../invitations/issue';
import { optimistic } from '../optimistic';

/** A row that failed through a fault of ours (not of its content): the caller logs it. */
export interface RowFault {
  row: number;
  line: number;
  error: unknown;
}

export interface ChunkOutcome {
  /** What this call recorded; undefined when the chunk had been recorded already (a redelivered message). */
  recorded: RowCounts | undefined;
  /** Whether every row of the batch is now accounted for. */
  finished: boolean;
  faults: RowFault[];
}

/** What a row comes to: its result, and the event of the invitation it creates. */
interface PlannedRow {
  result: StoredRowResult;
  event?: AuditEvent;
  fault?: RowFault;
}

/** The message a row failed through a fault of ours gets: its cause is logged, not shown. */
const FAULT_MESSAGE = 'could not be processed because of an internal error; the registry logged it';

/**
 * Turns one chunk of rows of `batch` into invitations, exactly once: a redelivered chunk creates nothing
 * again. Each row succeeds or fails on its own (docs/SPEC.md §2.1): a row the splitter refused keeps its reason, a
 * row its parent's rules refuse is recorded with its line, a row that throws fails alone, and the others go
 * on. The batch's options never change once it is split, so the record the caller read serves every
 * attempt; the parent is read afresh each time.
 */
export async function processChunk(deps: Deps, batch: Batch, chunk: RowChunk): Promise<ChunkOutcome> {
  let faults: RowFault[] = [];
  const recorded = await optimistic(async () => {
    const parent = batch.options.parentId ? await deps.store.lineage(batch.options.parentId) : undefined;
    const now = deps.now();
    const planned = chunk.rows.map(rowPlanner(deps, batch, parent, await deps.keyRing(), now));
    const results = planned.map(({ result }) => result);
    faults = planned.flatMap(({ fault }) => (fault ? [fault] : []));
    const outcome = await deps.batches.commitChunk({
      batchId: chunk.batchId,
      chunk: chunk.chunk,
      at: rfc3339(now),
      results,
      events: planned.flatMap(({ event }) => (event ? [event] : [])),
      ...(batch.options.parentId && { parentCheck: { parentId: batch.options.parentId, at: rfc3339(now) } }),
    });
    return outcome === 'committed' ? rowCounts(results) : undefined;
  });
  return { recorded, finished: isFinished(await deps.batches.counts(chunk.batchId)), faults: recorded ? faults : [] };
}

/** Records every row of a chunk as Failed with `reason` (a message that could not be processed). */
export async function failChunk(deps: Deps, chunk: RowChunk, reason: string): Promise<ChunkOutcome> {
  const results: StoredRowResult[] = chunk.rows.map(({ row, line, echo }) => ({
    row,
    line,
    status: 'Failed',
    ...echo,
    error: `line ${line}: ${reason}`,
  }));
  const outcome = await deps.batches.commitChunk({
    batchId: chunk.batchId,
    chunk: chunk.chunk,
    at: rfc3339(deps.now()),
    results,
    events: [],
  });
  return {
    recorded: outcome === 'committed' ? rowCounts(results) : undefined,
    finished: isFinished(await deps.batches.counts(chunk.batchId)),
    faults: [],
  };
}

export async function requireBatch(deps: Deps, batchId: string): Promise<Batch> {
  const batch = await deps.batches.getBatch(batchId);
  if (!batch) throw new Error(`Batch ${batchId} does not exist`);
  return batch;
}

/**
 * Plans each row of a chunk. The batch reserved its rows' units of the parent's and ancestors' allowances
 * when it was split, so a row spends none here: it is only told what is left below it.
 */
function rowPlanner(deps: Deps, batch: Batch, parent: Lineage | undefined, ring: KeyRing, now: Date) {
  const origin = { actor: batch.createdBy };
  const byDelegate = batch.source === 'delegate';
  const defaultMaxDescendants = config.defaultMaxDescendants();
  return (row: BatchRow): PlannedRow => {
    const base = { row: row.row, line: row.line, ...row.echo };
    const failed = (error: string): StoredRowResult => ({ ...base, status: 'Failed', error });
    if ('error' in row) return { result: failed(row.error) };
    try {
      if (batch.options.parentId && !parent) throw parentErrors.missing();
      const request = {
        ...row.request,
        ...(batch.options.s3ConfigPath && { s3ConfigPath: batch.options.s3ConfigPath }),
      };
      const under = parent && placeUnder(parent.invitation.value, parent.ancestors, now, { units: 0, byDelegate });
      const { settings, notes } = resolveSettings(request, under, now, defaultMaxDescendants);
      const { invitation } = newInvitation(settings, deps.newId(), batch.createdBy, ring, {
        batchId: batch.id,
        batchRow: row.row,
      });
      return {
        result: {
          ...base,
          name: settings.name,
          type: settings.type,
          status: 'Success',
          ...(notes.length > 0 && { notes }),
          invitation,
        },
        event: creationEvent(deps, origin, invitation, notes),
      };
    } catch (error) {
      if (error instanceof RegistryError) return { result: failed(`line ${row.line}: ${error.message}`) };
      return { result: failed(`line ${row.line}: ${FAULT_MESSAGE}`), fault: { row: row.row, line: row.line, error } };
    }
  };
}
