import { createHash } from 'node:crypto';
import { objectInfo, readObject, readObjectText } from '../adapters/objects';
import { sendRowMessages } from '../adapters/row-queue';
import { type Batch, type BatchRow, type RowQueueMessage } from '../domain/batch';
import { mapHeader } from '../domain/csv-input';
import { type CsvLimits, DEFAULT_CSV_LIMITS, FileRejection, readCsvRecords } from '../domain/csv-reader';
import { RegistryError } from '../domain/errors';
import { rfc3339 } from '../domain/time';
import { BUCKET_PREFIXES, MESSAGES_PER_SEND, ROWS_PER_MESSAGE } from '../resources';
import { startBatchQuery } from '../schemas';
import type { Deps } from './deps';
import { failBatch } from './finalise-batch';
import { requireBatch } from './process-chunk';
import { type BatchRequest, createBatch, resolveBatchOptions } from './start-batch';

/** Object metadata a dropped CSV may carry (S3 lower-cases metadata names), and the option each sets. */
const METADATA_OPTIONS: Record<string, keyof BatchRequest> = {
  'parent-id': 'parentId',
  's3-config': 's3ConfigPath',
  'include-encoded': 'includeEncoded',
  concurrency: 'concurrency',
  'has-header': 'hasHeader',
};

/**
 * Handles a CSV that arrived in the bucket: an API upload (`uploads/<batchId>.csv`) continues its batch;
 * a file dropped under `drop/` starts one, once per object version, with options from its metadata or a
 * sidecar `<key>.json` written before it. Then the file is split.
 */
export async function splitArrivedObject(deps: Deps, key: string, limits: CsvLimits = DEFAULT_CSV_LIMITS) {
  const batch = key.startsWith(BUCKET_PREFIXES.drop) ? await batchForDrop(deps, key) : await batchForUpload(deps, key);
  if (batch) await splitBatch(deps, batch, limits);
}

async function batchForUpload(deps: Deps, key: string): Promise<Batch | undefined> {
  const batchId = /^uploads\/([0-9A-Z]{26})\.csv$/.exec(key)?.[1];
  return batchId === undefined ? undefined : deps.batches.getBatch(batchId);
}

async function batchForDrop(deps: Deps, key: string): Promise<Batch | undefined> {
  if (key.endsWith('.json') || key.endsWith('/')) return undefined;
  const info = await objectInfo(key);
  if (!info) return undefined;
  const marker = createHash('sha256').update(`${key}\n${info.eTag}`).digest('hex');
  const existing = await deps.batches.batchIdForDrop(marker);
  if (existing) return deps.batches.getBatch(existing);
  const origin = { actor: `s3:${key}` };
  try {
    const options = await resolveBatchOptions(deps, await dropRequest(key, info.metadata));
    return await createBatch(deps, { source: 's3', options, origin, objectKey: key }, marker);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const options = await resolveBatchOptions(deps, {});
    const batch = await createBatch(deps, { source: 's3', options, origin, objectKey: key }, marker);
    await failBatch(deps, batch.id, error.code, `Batch options: ${error.message}`);
    return undefined;
  }
}

/** Options of a dropped file: its sidecar JSON when there is one, else its object metadata. */
async function dropRequest(key: string, metadata: Record<string, string>): Promise<BatchRequest> {
  const sidecar = await readObjectText(`${key}.json`);
  if (sidecar !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(sidecar);
    } catch {
      throw new RegistryError(400, 'invalid_sidecar', `${key}.json is not valid JSON`);
    }
    return parseOptions(parsed, `${key}.json`);
  }
  const fromMetadata: Record<string, string> = {};
  for (const [name, option] of Object.entries(METADATA_OPTIONS)) {
    if (metadata[name] !== undefined) fromMetadata[option] = metadata[name];
  }
  return parseOptions(fromMetadata, 'object metadata');
}

function parseOptions(value: unknown, source: string): BatchRequest {
  const result = startBatchQuery.extend({ parentToken: startBatchQuery.shape.parentId }).safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RegistryError(
    400,
    'invalid_batch_options',
    `${source}: ${issue.path.join('.') || 'options'}: ${issue.message}`,
  );
}

/**
 * Splits a batch's CSV in two streaming passes, so memory stays flat whatever the file's size: the first
 * checks every file-level rule and counts the rows (a rejected file creates nothing), the second sends the
 * rows in chunks. A split interrupted after the first pass resumes with the second: chunks already sent
 * are recorded once however often they arrive.
 */
export async function splitBatch(deps: Deps, batch: Batch, limits: CsvLimits): Promise<void> {
  if (batch.state === 'awaiting_upload' || batch.state === 'queued') {
    const checked = await checkFile(deps, batch, limits);
    if (!checked) return;
    const now = rfc3339(deps.now());
    const moved = await deps.batches.transition(batch.id, ['awaiting_upload', 'queued'], 'processing', {
      ...checked,
      updatedAt: now,
    });
    if (!moved) return;
    batch = await requireBatch(deps, batch.id);
  }
  if (batch.state === 'processing') await sendRows(batch, limits);
}

async function checkFile(deps: Deps, batch: Batch, limits: CsvLimits) {
  let header: string[] | undefined;
  let warnings: string[] = [];
  let total = 0;
  try {
    for await (const record of records(batch, limits)) {
      if (batch.options.hasHeader && header === undefined) {
        header = record.cells;
        const mapping = mapHeader(header);
        if (mapping.unknownColumns.length > 0)
          warnings = [`Unknown columns ignored: ${mapping.unknownColumns.join(', ')}`];
      } else {
        total++;
      }
    }
  } catch (error) {
    if (!(error instanceof FileRejection)) throw error;
    await failBatch(deps, batch.id, error.reason, error.message);
    return undefined;
  }
  return { total, warnings, ...(header && { header }) };
}

async function sendRows(batch: Batch, limits: CsvLimits): Promise<void> {
  let pending: RowQueueMessage[] = [];
  let rows: BatchRow[] = [];
  let row = 0;
  let headerSeen = !batch.options.hasHeader;
  const flushChunk = () => {
    pending.push({ kind: 'rows', batchId: batch.id, chunk: Math.floor((row - 1) / ROWS_PER_MESSAGE), rows });
    rows = [];
  };
  for await (const record of records(batch, limits)) {
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    row++;
    rows.push({ row, line: record.line, cells: record.cells });
    if (rows.length === ROWS_PER_MESSAGE) flushChunk();
    if (pending.length === MESSAGES_PER_SEND) {
      await sendRowMessages(pending);
      pending = [];
    }
  }
  if (rows.length > 0) flushChunk();
  await sendRowMessages(pending);
}

async function* records(batch: Batch, limits: CsvLimits) {
  yield* readCsvRecords(await readObject(batch.objectKey), limits, { hasHeader: batch.options.hasHeader });
}
