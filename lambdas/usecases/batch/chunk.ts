import type { Lineage } from '../../ports/invitations';
import { config } from '../../config';
import type { AuditEvent } from '../../domain/audit';
import {
  type Batch,
  type BatchRow,
  type RowChunk,
  type RowCounts,
  type StoredRowResult,
  finaliseEnvelope,
  isFinished,
  rowCounts,
} from '../../domain/batch';
import { RegistryError } from '../../domain/errors';
import type { KeyRing } from '../../domain/keys';
import { parentErrors, placeUnder, resolveSettings } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import type { ChunkCommit } from '../../ports/batches';
import { creationEvent, newInvitation } from '../invitations/issue';
import { optimistic } from '../optimistic';
import { deliveryAtCreation } from '../mail/queue';
import type { Deps } from '../deps';
import { type Lease, requireBatch, underLease } from './pipeline';

/** A row that failed through a fault of ours (not of its content): the caller logs it. */
export interface RowFault {
  row: number;
  line: number;
  error: unknown;
}

export interface ChunkOutcome {
  /** What this call recorded; undefined when the chunk had been recorded already (a redelivered message). */
  recorded: RowCounts | undefined;
  faults: RowFault[];
}

/** What a row comes to: its result, and the event of the invitation it creates. */
interface PlannedRow {
  result: StoredRowResult;
  event?: AuditEvent;
  fault?: RowFault;
}

/** A chunk's rows as planned for one attempt to record them. */
type Plan = (batch: Batch, now: Date) => Promise<{ planned: PlannedRow[]; parentCheck?: ChunkCommit['parentCheck'] }>;

/** The message a row failed through a fault of ours gets: its cause is logged, not shown. */
const FAULT_MESSAGE = 'could not be processed because of an internal error; the registry logged it';

/**
 * The chunk stage, for a chunk of rows a worker received: turns them into invitations, exactly once (a
 * redelivered chunk creates nothing again). Each row succeeds or fails on its own (docs/SPEC.md §2.1): a row the
 * splitter refused keeps its reason, a row its parent's rules refuse is recorded with its line, a row that
 * throws fails alone, and the others go on. The batch's options never change once it is split, so the record
 * read once serves every attempt; the parent is read afresh each time.
 */
export function processChunk(deps: Deps, chunk: RowChunk, lease?: Lease): Promise<ChunkOutcome> {
  return settle(deps, chunk, lease, async (batch, now) => {
    const { parentId } = batch.options;
    const parent = parentId ? await deps.store.lineage(parentId) : undefined;
    const planned = chunk.rows.map(rowPlanner(deps, batch, parent, await deps.keyRing(), now));
    return { planned, ...(parentId && { parentCheck: { parentId, at: rfc3339(now) } }) };
  });
}

/** The same stage for a chunk that could not be processed (the dead-letter queue's): every row Failed with `reason`. */
export function failChunk(deps: Deps, chunk: RowChunk, reason: string): Promise<ChunkOutcome> {
  return settle(deps, chunk, undefined, async () => ({
    planned: chunk.rows.map(({ row, line, echo }) => ({
      result: { row, line, status: 'Failed', ...echo, error: `line ${line}: ${reason}` },
    })),
  }));
}

/**
 * Lease → record → ask for the results, in one place: the batch is read once, the chunk's outcome (row
 * results, invitations, events, counts) written in one transaction that also tells whether it settled the
 * batch's last rows, and then, if the batch is finished, its results are asked for. A redelivered chunk asks
 * for them again when the batch is finished: its first delivery may have stopped before it did.
 */
async function settle(deps: Deps, chunk: RowChunk, lease: Lease | undefined, plan: Plan): Promise<ChunkOutcome> {
  return underLease(deps, lease, async () => {
    const batch = await requireBatch(deps, chunk.batchId);
    const { record, planned } = await optimistic(async () => {
      const now = deps.now();
      const { planned, parentCheck } = await plan(batch, now);
      const record = await deps.batches.commitChunk({
        batchId: chunk.batchId,
        chunk: chunk.chunk,
        at: rfc3339(now),
        results: planned.map(({ result }) => result),
        events: planned.flatMap(({ event }) => (event ? [event] : [])),
        ...(parentCheck && { parentCheck }),
        counts: batch,
      });
      return { record, planned };
    });
    const committed = record.outcome === 'committed';
    if (committed ? record.finished : isFinished(batch)) await deps.rows.send([finaliseEnvelope(batch.id)]);
    if (!committed) return { recorded: undefined, faults: [] };
    return {
      recorded: rowCounts(planned.map(({ result }) => result)),
      faults: planned.flatMap(({ fault }) => (fault ? [fault] : [])),
    };
  });
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
      const made = newInvitation(settings, deps.newId(), batch.createdBy, ring, {
        batchId: batch.id,
        batchRow: row.row,
      });
      // With `deliver`, a row with an address is mailed; one without is made all the same.
      const invitation =
        batch.options.deliver && settings.email !== undefined
          ? { ...made.invitation, delivery: deliveryAtCreation(made.invitation, now) }
          : made.invitation;
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
