import { createHash } from 'node:crypto';
import {
  type Batch,
  type BatchInput,
  type BatchRow,
  type RowChunk,
  chunkEnvelope,
  ROWS_PER_MESSAGE,
} from '../../domain/batch';
import { type BatchRequest, metadataOptions, sidecarOptions } from '../../domain/batch-options';
import {
  type ColumnMapping,
  mapHeader,
  parseRow,
  positionalMapping,
  unknownColumnsWarning,
} from '../../domain/csv/input';
import {
  type CsvLimits,
  type CsvRecord,
  DEFAULT_CSV_LIMITS,
  FileRejection,
  readCsvRecords,
} from '../../domain/csv/reader';
import { quotaExceeded } from '../../domain/delegation';
import { RegistryError } from '../../domain/errors';
import { parentErrors, placeUnder } from '../../domain/settings';
import { rfc3339 } from '../../domain/time';
import type { AllowanceChange } from '../../ports/batches';
import { StaleState } from '../../ports/common';
import { BUCKET_PREFIXES, MESSAGES_PER_SEND } from '../../config';
import { spendingOf } from '../invitations/issue';
import { optimistic } from '../optimistic';
import { failBatch } from './ending';
import { type Arrival, openInput, takeArrival } from './input';
import { createBatch, resolveBatchOptions } from './opening';
import type { Deps } from '../deps';

/**
 * Handles a CSV that arrived in the bucket, `arrived` as its event describes it (else as it is now): an API
 * upload (`uploads/<batchId>.csv`) continues its batch; a file dropped under `drop/` starts one, once per
 * object version, with options from its metadata or a sidecar `<key>.json` written before it. The batch
 * takes the file only if it is the first to arrive for it (`takeArrival`); then the file is split: the split
 * stage.
 * Undefined when the object is no batch's file.
 */
export async function splitArrivedObject(
  deps: Deps,
  key: string,
  limits: CsvLimits = DEFAULT_CSV_LIMITS,
  arrived?: BatchInput,
): Promise<Arrival | undefined> {
  const object = arrived ?? (await deps.objects.info(key));
  if (!object) return undefined;
  const batch = key.startsWith(BUCKET_PREFIXES.drop)
    ? await batchForDrop(deps, key, object)
    : await batchForUpload(deps, key);
  if (!batch) return undefined;
  const arrival = await takeArrival(deps, batch, object, limits);
  if (arrival.outcome === 'taken') await splitBatch(deps, arrival.batch, limits);
  return arrival;
}

async function batchForUpload(deps: Deps, key: string): Promise<Batch | undefined> {
  const batchId = /^uploads\/([0-9A-Z]{26})\.csv$/.exec(key)?.[1];
  return batchId === undefined ? undefined : deps.batches.getBatch(batchId);
}

async function batchForDrop(deps: Deps, key: string, object: BatchInput): Promise<Batch | undefined> {
  if (key.endsWith('.json') || key.endsWith('/')) return undefined;
  const marker = createHash('sha256').update(`${key}\n${object.eTag}`).digest('hex');
  const existing = await deps.batches.batchIdForDrop(marker);
  if (existing) return deps.batches.getBatch(existing);
  const info = await deps.objects.info(key, object.versionId);
  if (!info) return undefined;
  const origin = { actor: `s3:${key}` };
  try {
    const options = await resolveBatchOptions(deps, await dropRequest(deps, key, info.metadata), 's3');
    return await createBatch(deps, { source: 's3', options, origin, objectKey: key }, marker);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const options = await resolveBatchOptions(deps, {}, 's3');
    const batch = await createBatch(deps, { source: 's3', options, origin, objectKey: key }, marker);
    await failBatch(deps, batch.id, error.code, `Batch options: ${error.message}`);
    return undefined;
  }
}

/** Options of a dropped file: its sidecar JSON when there is one, else its object metadata. */
async function dropRequest(
  deps: Pick<Deps, 'objects'>,
  key: string,
  metadata: Record<string, string>,
): Promise<BatchRequest> {
  const sidecar = await deps.objects.readText(`${key}.json`);
  return sidecar === undefined ? metadataOptions(metadata) : sidecarOptions(key, sidecar);
}

/**
 * Splits a batch's CSV in two streaming passes, so memory stays flat whatever the file's size: the first
 * checks every file-level rule and counts the rows (a rejected file creates nothing), the second reads each
 * row against the header and sends the rows in chunks. Both read the object the batch took (`openInput`). A
 * split interrupted after the first pass resumes with the second; once every chunk is sent (`dispatchedAt`),
 * a repeated event sends nothing.
 */
export async function splitBatch(deps: Deps, batch: Batch, limits: CsvLimits): Promise<void> {
  if (batch.state === 'awaiting_upload' || batch.state === 'queued') {
    const checked = await checkFile(deps, batch, limits);
    if (!checked) return;
    const started = await startProcessing(deps, batch, checked);
    if (!started) return;
    batch = started;
  }
  if (batch.state === 'processing' && batch.dispatchedAt === undefined) await dispatchRows(deps, batch, limits);
}

/**
 * Sends again the chunks of a processing batch that have no outcome yet, reading the file it took once more:
 * for a split that stopped before it had sent them all.
 */
export async function resumeDispatch(deps: Deps, batch: Batch, limits: CsvLimits): Promise<void> {
  await dispatchRows(deps, batch, limits, {
    recorded: (chunks) => deps.batches.recordedChunks(batch.id, chunks),
    round: String(deps.now().getTime()),
  });
}

async function checkFile(deps: Deps, batch: Batch, limits: CsvLimits) {
  const input = await openInput(deps, batch);
  if (!input) return undefined;
  let headerSeen = !batch.options.hasHeader;
  let warnings: string[] = [];
  let total = 0;
  try {
    for await (const record of records(input, batch, limits)) {
      if (headerSeen) {
        total++;
        continue;
      }
      headerSeen = true;
      const warning = unknownColumnsWarning(mapHeader(record.cells));
      if (warning) warnings = [warning];
    }
  } catch (error) {
    if (!(error instanceof FileRejection)) throw error;
    await failBatch(deps, batch.id, error.reason, error.message);
    return undefined;
  }
  return { total, warnings };
}

const SPLITTABLE: Batch['state'][] = ['awaiting_upload', 'queued'];

/**
 * Moves a checked batch to `processing`. Under a parent, in the same transaction, it reserves its counted
 * rows of the parent's and every ancestor's allowance (docs/SPEC.md §3.8), as many as the least of them has left:
 * one write per batch, so its chunks never contend for an ancestor's counter. When the parent can no longer
 * have children, nothing is reserved and every row fails with the reason. Undefined when someone else moved
 * the batch first.
 */
async function startProcessing(
  deps: Deps,
  batch: Batch,
  checked: { total: number; warnings: string[] },
): Promise<Batch | undefined> {
  return optimistic(async () => {
    const now = deps.now();
    const at = rfc3339(now);
    const { parentId } = batch.options;
    const reservation = parentId ? await reserveRows(deps, parentId, checked.total, now) : undefined;
    const fields = { ...checked, ...reservation?.fields, updatedAt: at };
    const allowance = reservation?.allowance;
    const started = await deps.batches.transition(batch, SPLITTABLE, 'processing', fields, undefined, allowance);
    if (started) return started;
    const current = await deps.batches.getBatch(batch.id);
    // Still splittable: the reservation lost a race for an ancestor's allowance; read again and re-plan.
    if (allowance && current && SPLITTABLE.includes(current.state)) throw new StaleState('batch reservation');
    return undefined;
  });
}

async function reserveRows(
  deps: Deps,
  parentId: string,
  total: number,
  now: Date,
): Promise<{ fields: Partial<Batch>; allowance?: AllowanceChange }> {
  const parent = await deps.store.lineage(parentId);
  try {
    if (!parent) throw parentErrors.missing();
    const { allowance } = placeUnder(parent.invitation.value, parent.ancestors, now, { units: 0, byDelegate: false });
    const reservedRows = Math.min(total, allowance!.left);
    return {
      fields: { reservedRows, ...(reservedRows < total && { quotaLimitedBy: allowance!.ancestorId }) },
      allowance: { spending: spendingOf(parent, reservedRows, rfc3339(now)) },
    };
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return { fields: { reservedRows: 0, reservationRefused: error.message } };
  }
}

/** A second sending of a batch's chunks. */
interface Resend {
  /** The chunks (of those given) already recorded, which need not be sent again. */
  recorded: (chunks: number[]) => Promise<ReadonlySet<number>>;
  /** Marks this round's messages apart from the first ones (see `chunkEnvelope`). */
  round: string;
}

async function dispatchRows(deps: Deps, batch: Batch, limits: CsvLimits, resend?: Resend): Promise<void> {
  const input = await openInput(deps, batch);
  if (!input) return;
  let mapping: ColumnMapping | undefined = batch.options.hasHeader ? undefined : positionalMapping();
  let pending: RowChunk[] = [];
  let rows: BatchRow[] = [];
  let chunk = 0;
  const send = async () => {
    const done = resend ? await resend.recorded(pending.map((message) => message.chunk)) : new Set<number>();
    const wanted = pending.filter((message) => !done.has(message.chunk));
    await deps.rows.send(wanted.map((message) => chunkEnvelope(message, batch.options.concurrency, resend?.round)));
    pending = [];
  };
  const closeChunk = () => {
    pending.push({ kind: 'rows', batchId: batch.id, chunk: chunk++, rows });
    rows = [];
  };
  let row = 0;
  for await (const record of records(input, batch, limits)) {
    if (!mapping) {
      mapping = mapHeader(record.cells);
      continue;
    }
    rows.push(withinReservation(batch, batchRow(++row, record, mapping)));
    if (rows.length === ROWS_PER_MESSAGE) closeChunk();
    if (pending.length === MESSAGES_PER_SEND) await send();
  }
  if (rows.length > 0) closeChunk();
  await send();
  await deps.batches.markDispatched(batch.id, rfc3339(deps.now()));
}

/** A data row as it travels: the invitation it asks for, or why it cannot be one. */
function batchRow(row: number, record: CsvRecord, mapping: ColumnMapping): BatchRow {
  const parsed = parseRow(mapping, record);
  const { line } = record;
  return parsed.ok
    ? { row, line, echo: parsed.echo, request: parsed.request }
    : { row, line, echo: parsed.echo, error: parsed.error };
}

/**
 * A row numbered beyond the batch's reservation fails on its own: its ancestors' allowance is spent, or its
 * parent could no longer have children when the batch was split.
 */
function withinReservation(batch: Batch, row: BatchRow): BatchRow {
  if (batch.reservedRows === undefined || row.row <= batch.reservedRows || 'error' in row) return row;
  const reason = batch.reservationRefused ?? quotaRefusal(batch.quotaLimitedBy ?? batch.options.parentId!);
  return { row: row.row, line: row.line, echo: row.echo, error: `line ${row.line}: ${reason}` };
}

function quotaRefusal(ancestorId: string): string {
  const { code, message } = quotaExceeded({ ancestorId });
  return `${code}: ${message}`;
}

function records(input: AsyncIterable<Uint8Array>, batch: Batch, limits: CsvLimits) {
  return readCsvRecords(input, limits, { hasHeader: batch.options.hasHeader });
}
