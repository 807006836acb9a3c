import type { StoredRowResult } from '../adapters/batch-store';
import { type Batch, type BatchRow, type RowCounts, isFinished, rowCounts } from '../domain/batch';
import { type ColumnMapping, mapHeader, parseRow, positionalMapping } from '../domain/csv-input';
import { RegistryError } from '../domain/errors';
import type { Invitation } from '../domain/invitation';
import type { KeyRing } from '../domain/keys';
import { parentErrors, resolveSettings } from '../domain/settings';
import { rfc3339 } from '../domain/time';
import type { Deps } from './deps';
import { creationEvent, newInvitation } from './issue';
import { optimistic } from './optimistic';

export interface RowChunk {
  batchId: string;
  chunk: number;
  rows: BatchRow[];
}

export interface ChunkOutcome {
  /** What this call recorded; undefined when the chunk had been recorded already (a redelivered message). */
  recorded: RowCounts | undefined;
  /** Whether every row of the batch is now accounted for. */
  finished: boolean;
}

/**
 * Turns one chunk of rows of `batch` into invitations, exactly once: a redelivered chunk creates nothing
 * again. Each row succeeds or fails on its own (SPEC §2.1): a bad row is recorded with its line and reason,
 * the others go on. The batch's options and header never change once it is split, so the record the
 * caller read serves every attempt; the parent is read afresh each time.
 */
export async function processChunk(deps: Deps, batch: Batch, chunk: RowChunk): Promise<ChunkOutcome> {
  const recorded = await optimistic(async () => {
    if (await deps.batches.chunkDone(chunk.batchId, chunk.chunk)) return undefined;
    const parent = batch.options.parentId ? await deps.store.getInvitation(batch.options.parentId) : undefined;
    const now = deps.now();
    const plan = rowPlanner(batch, parent?.value, await deps.keyRing(), now, deps.newId);
    const results = chunk.rows.map(plan);
    const origin = { actor: batch.createdBy };
    const outcome = await deps.batches.commitChunk({
      batchId: chunk.batchId,
      chunk: chunk.chunk,
      results,
      events: results.flatMap(({ invitation, notes }) =>
        invitation ? [creationEvent(deps, origin, invitation, notes ?? [])] : [],
      ),
      ...(batch.options.parentId && { parentCheck: { parentId: batch.options.parentId, at: rfc3339(now) } }),
    });
    return outcome === 'committed' ? rowCounts(results) : undefined;
  });
  return { recorded, finished: isFinished(await requireBatch(deps, chunk.batchId)) };
}

/** Records every row of a chunk as Failed with `reason` (a message that could not be processed). */
export async function failChunk(deps: Deps, chunk: RowChunk, reason: string): Promise<ChunkOutcome> {
  const batch = await requireBatch(deps, chunk.batchId);
  const mapping = columnMapping(batch);
  const results: StoredRowResult[] = chunk.rows.map((row) => {
    const { echo } = parseRow(mapping, { cells: row.cells, line: row.line });
    return { row: row.row, line: row.line, status: 'Failed', ...echo, error: `line ${row.line}: ${reason}` };
  });
  const outcome = await deps.batches.commitChunk({ batchId: chunk.batchId, chunk: chunk.chunk, results, events: [] });
  return {
    recorded: outcome === 'committed' ? rowCounts(results) : undefined,
    finished: isFinished(await requireBatch(deps, chunk.batchId)),
  };
}

export async function requireBatch(deps: Deps, batchId: string): Promise<Batch> {
  const batch = await deps.batches.getBatch(batchId);
  if (!batch) throw new Error(`Batch ${batchId} does not exist`);
  return batch;
}

const columnMapping = (batch: Batch): ColumnMapping => (batch.header ? mapHeader(batch.header) : positionalMapping());

function rowPlanner(batch: Batch, parent: Invitation | undefined, ring: KeyRing, now: Date, newId: () => string) {
  const mapping = columnMapping(batch);
  return (row: BatchRow): StoredRowResult => {
    const parsed = parseRow(mapping, { cells: row.cells, line: row.line });
    const base = { row: row.row, line: row.line, ...parsed.echo };
    if (!parsed.ok) return { ...base, status: 'Failed', error: parsed.error };
    try {
      if (batch.options.parentId && !parent) throw parentErrors.missing();
      const request = {
        ...parsed.request,
        ...(batch.options.s3ConfigPath && { s3ConfigPath: batch.options.s3ConfigPath }),
      };
      const { settings, notes } = resolveSettings(request, parent, now);
      const { invitation } = newInvitation(settings, newId(), batch.createdBy, ring, {
        batchId: batch.id,
        batchRow: row.row,
      });
      return {
        ...base,
        name: settings.name,
        type: settings.type,
        status: 'Success',
        ...(notes.length > 0 && { notes }),
        invitation,
      };
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      return { ...base, status: 'Failed', error: `line ${row.line}: ${error.message}` };
    }
  };
}
