import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { keyRing } from '../../lambdas/adapters/key-ring';
import { auditPut } from '../../lambdas/adapters/audit-items';
import { invitationCreation } from '../../lambdas/adapters/items';
import { mapHeader, parseRow } from '../../lambdas/domain/csv/input';
import type { Invitation } from '../../lambdas/domain/invitation';
import { resolveSettings } from '../../lambdas/domain/settings';
import { hashToken } from '../../lambdas/domain/tokens';
import { AUDIT_TABLE, ROW_QUEUE, type TableDefinition } from '../../system/resources';
import { creationEvent, newInvitation } from '../../lambdas/usecases/invitations/issue';
import { mkdirSync } from 'node:fs';
import { bootstrapRegistryTable, bootstrapTable } from '../../local/emulators/bootstrap';
import { startDynamoDbLocal } from '../../local/emulators/dynamodb-local';
import { freePort } from '../../local/stack/ports';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import { CLASS_TEMPLATE_HEADER, classTemplateCells } from './class-template';

/** DynamoDB's most per BatchWriteItem call. */
const ITEMS_PER_CALL = 25;
/** Calls in flight: as many as the pipeline's worker invocations at once (ROW_QUEUE's default). */
export const CALLS_IN_FLIGHT = ROW_QUEUE.defaultMaxConcurrency;
/** Rounds of UnprocessedItems resent before a call counts as failed. */
const MAX_ROUNDS = 8;
const BACKOFF_MS = 50;

/**
 * Items a row creates: its invitation and its token lookup item (the pipeline's own `invitationCreation`), and its
 * `invitation.created` audit event (`auditPut`), which the audit table's stream also records.
 */
export const ITEMS_PER_ROW = 3;

export interface CeilingResult {
  rows: number;
  items: number;
  elapsedMs: number;
  itemsPerSecond: number;
  rowsPerSecond: number;
  /** Items DynamoDB Local handed back as unprocessed and that were sent again. */
  resentItems: number;
}

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };
/** A BatchWriteItem's items (and its UnprocessedItems) by table. */
type TableWrites = Record<string, PutRequest[]>;
interface ItemWrite {
  tableName: string;
  request: PutRequest;
}
interface ScratchTables {
  registry: string;
  audit: string;
}

const putRequestOf = (write: Record<string, unknown>): ItemWrite => {
  const { TableName, Item } = (write as { Put: { TableName: string; Item: Record<string, unknown> } }).Put;
  return { tableName: TableName, request: { PutRequest: { Item } } };
};

/** The invitation row 1 of the class template makes, as the worker makes it: the model of every row's items. */
async function templateInvitation(): Promise<Invitation> {
  const parsed = parseRow(mapHeader(CLASS_TEMPLATE_HEADER), { cells: classTemplateCells(1), line: 2 });
  if (!parsed.ok) throw new Error(`the class template does not parse: ${parsed.error}`);
  const { settings } = resolveSettings(parsed.request, undefined, new Date());
  const batch = { batchId: monotonicFactory()(), batchRow: 1 };
  return newInvitation(settings, monotonicFactory()(), 'bench', await keyRing(), batch).invitation;
}

/**
 * Items of row `row`: those of the template invitation with the row's own id, row number and token hash, and its
 * creation event, so every item has its own key and the same size and attributes as the pipeline's (index keys
 * included).
 */
function rowItems(tables: ScratchTables, template: Invitation, newId: (at?: number) => string) {
  const deps = { now: () => new Date(), newId };
  return (row: number): ItemWrite[] => {
    const id = newId();
    const invitation = { ...template, id, batchRow: row, tokenHash: hashToken(id) };
    const event = creationEvent(deps, { actor: 'bench' }, invitation, []);
    return [...invitationCreation(tables.registry, invitation), auditPut(tables.audit, event)].map(putRequestOf);
  };
}

const itemCount = (writes: TableWrites): number => Object.values(writes).reduce((sum, items) => sum + items.length, 0);

/** The next call's items by table (up to 25, fewer at the end, none once all are taken) from `items`. */
function callsOf(items: Iterator<ItemWrite>) {
  return (): TableWrites => {
    const call: TableWrites = {};
    let count = 0;
    for (let next = items.next(); !next.done; next = items.next()) {
      (call[next.value.tableName] ??= []).push(next.value.request);
      if (++count === ITEMS_PER_CALL) break;
    }
    return call;
  };
}

/** Writes every item with CALLS_IN_FLIGHT writers; returns how many items had to be sent again. */
async function writeAll(client: DynamoDBDocumentClient, nextCall: () => TableWrites) {
  let resent = 0;
  const writer = async () => {
    for (let pending = nextCall(); itemCount(pending) > 0; pending = nextCall()) {
      for (let round = 1; itemCount(pending) > 0; round++) {
        if (round > MAX_ROUNDS) {
          throw new Error(`${itemCount(pending)} items still unprocessed after ${MAX_ROUNDS} rounds`);
        }
        if (round > 1) await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * round));
        const answer = await client.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = (answer.UnprocessedItems ?? {}) as TableWrites;
        resent += itemCount(pending);
      }
    }
  };
  await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, writer));
  return resent;
}

/**
 * The audit table as the ceiling makes it: without its stream. In DynamoDB Local, writes to a table with a stream
 * slow down as its stream grows (a fresh table's BatchWriteItem fell from 160 to 57 rows a second over 100,000 rows;
 * a table created beside another's 5,000 stream records started at 32), which DynamoDB on AWS does not do; the
 * pipeline pays that cost, the ceiling does not, so the share is the stricter for it.
 */
const AUDIT_TABLE_WITHOUT_STREAM: TableDefinition = { ...AUDIT_TABLE, stream: undefined };

/**
 * The raw BatchWriteItem rate of a DynamoDB Local of its own, started in `folder` (file-backed, as the stack's is)
 * for the measurement and stopped after it, for `rows` rows' items: tables made as the registry table and the
 * audit table are made (same keys, indexes and TTL; no stream), filled with CALLS_IN_FLIGHT calls of 25 items in
 * flight (UnprocessedItems sent again), timed from the first call to the last answer.
 */
export async function measureWriteCeiling(folder: string, rows: number): Promise<CeilingResult> {
  mkdirSync(folder, { recursive: true });
  const port = await freePort();
  const dynamoDbLocal = await startDynamoDbLocal({ port, dbPath: folder });
  try {
    return await measureOn(dynamoDbLocal.endpoint, rows);
  } finally {
    await dynamoDbLocal.stop();
  }
}

async function measureOn(endpoint: string, rows: number): Promise<CeilingResult> {
  const scratch = `prism-bench-ceiling-${Date.now()}`;
  const tables: ScratchTables = { registry: scratch, audit: `${scratch}-audit` };
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await bootstrapRegistryTable(endpoint, tables.registry);
    await bootstrapTable(endpoint, tables.audit, AUDIT_TABLE_WITHOUT_STREAM);
    const itemsOf = rowItems(tables, await templateInvitation(), monotonicFactory());
    const items = function* () {
      for (let row = 1; row <= rows; row++) yield* itemsOf(row);
    };
    const startedAt = performance.now();
    const resentItems = await writeAll(documents, callsOf(items()));
    const elapsedMs = performance.now() - startedAt;
    return {
      rows,
      items: rows * ITEMS_PER_ROW,
      elapsedMs,
      itemsPerSecond: (rows * ITEMS_PER_ROW) / (elapsedMs / 1000),
      rowsPerSecond: rows / (elapsedMs / 1000),
      resentItems,
    };
  } finally {
    for (const TableName of Object.values(tables)) {
      await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
    }
    client.destroy();
  }
}
