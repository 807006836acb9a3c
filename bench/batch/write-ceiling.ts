import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { keyRing } from '../../lambdas/adapters/key-ring';
import { invitationCreation } from '../../lambdas/adapters/items';
import { mapHeader, parseRow } from '../../lambdas/domain/csv/input';
import type { Invitation } from '../../lambdas/domain/invitation';
import { resolveSettings } from '../../lambdas/domain/settings';
import { hashToken } from '../../lambdas/domain/tokens';
import { ROW_QUEUE } from '../../system/resources';
import { newInvitation } from '../../lambdas/usecases/invitations/issue';
import { bootstrapRegistryTable } from '../../local/emulators/bootstrap';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import { CLASS_TEMPLATE_HEADER, classTemplateCells } from './class-template';

/** DynamoDB's most per BatchWriteItem call. */
const ITEMS_PER_CALL = 25;
/** Calls in flight: as many as the pipeline's worker invocations at once (ROW_QUEUE's default). */
export const CALLS_IN_FLIGHT = ROW_QUEUE.defaultMaxConcurrency;
/** Rounds of UnprocessedItems resent before a call counts as failed. */
const MAX_ROUNDS = 8;
const BACKOFF_MS = 50;

/** Items a row creates: its invitation and its token lookup item (the pipeline's own `invitationCreation`). */
export const ITEMS_PER_ROW = 2;

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

/** The invitation row 1 of the class template makes, as the worker makes it: the model of every row's items. */
async function templateInvitation(): Promise<Invitation> {
  const parsed = parseRow(mapHeader(CLASS_TEMPLATE_HEADER), { cells: classTemplateCells(1), line: 2 });
  if (!parsed.ok) throw new Error(`the class template does not parse: ${parsed.error}`);
  const { settings } = resolveSettings(parsed.request, undefined, new Date());
  const batch = { batchId: monotonicFactory()(), batchRow: 1 };
  return newInvitation(settings, monotonicFactory()(), 'bench', await keyRing(), batch).invitation;
}

/**
 * Items of row `row`: those of the template invitation with the row's own id, row number and token hash, so
 * every item has its own key and the same size and attributes as the pipeline's (index keys included).
 */
function rowItems(tableName: string, template: Invitation, newId: () => string) {
  return (row: number): PutRequest[] => {
    const id = newId();
    const invitation = { ...template, id, batchRow: row, tokenHash: hashToken(id) };
    return invitationCreation(tableName, invitation).map((write) => ({
      PutRequest: { Item: (write as { Put: { Item: Record<string, unknown> } }).Put.Item },
    }));
  };
}

/** The next call's items (up to 25, fewer at the end, none once all are taken) from `items`. */
function callsOf(items: Iterator<PutRequest>) {
  return (): PutRequest[] => {
    const call: PutRequest[] = [];
    for (let next = items.next(); !next.done; next = items.next()) {
      call.push(next.value);
      if (call.length === ITEMS_PER_CALL) break;
    }
    return call;
  };
}

/** Writes every item with CALLS_IN_FLIGHT writers; returns how many items had to be sent again. */
async function writeAll(client: DynamoDBDocumentClient, tableName: string, nextCall: () => PutRequest[]) {
  let resent = 0;
  const writer = async () => {
    for (let pending = nextCall(); pending.length > 0; pending = nextCall()) {
      for (let round = 1; pending.length > 0; round++) {
        if (round > MAX_ROUNDS) throw new Error(`${pending.length} items still unprocessed after ${MAX_ROUNDS} rounds`);
        if (round > 1) await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * round));
        const answer = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (answer.UnprocessedItems?.[tableName] ?? []) as PutRequest[];
        resent += pending.length;
      }
    }
  };
  await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, writer));
  return resent;
}

/**
 * The raw BatchWriteItem rate of DynamoDB Local at `endpoint` for `rows` rows' items: a scratch table made as
 * the registry table is made (same keys, indexes and TTL), filled with CALLS_IN_FLIGHT calls of 25 items in
 * flight (UnprocessedItems sent again), timed from the first call to the last answer, then deleted.
 */
export async function measureWriteCeiling(endpoint: string, rows: number): Promise<CeilingResult> {
  const tableName = `prism-bench-ceiling-${Date.now()}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await bootstrapRegistryTable(endpoint, tableName);
    const itemsOf = rowItems(tableName, await templateInvitation(), monotonicFactory());
    const items = function* () {
      for (let row = 1; row <= rows; row++) yield* itemsOf(row);
    };
    const startedAt = performance.now();
    const resentItems = await writeAll(documents, tableName, callsOf(items()));
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
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  }
}
