import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import { readFileSync, rmSync } from 'node:fs';
import { shardKey } from '../../lambdas/adapters/items';
import { INDEX_SHARDS, LOCAL_TABLE_NAME } from '../../system/resources';
import type { BatchView } from '../../lambdas/contract/views';
import { isRunning } from '../../local/stack/processes';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import { stackFiles } from '../../local/stack/paths';
import { classTemplate, classTemplateWithEmails, studentAddress } from '../support/class-template';
import {
  type LaunchedStack,
  type StackPlace,
  launchStack,
  localCredentialsOf,
  newStackPlace,
  stopGracefully,
} from '../support/embedded-stack-process';
import { signedCall } from '../support/gateway-client';

/**
 * `kill -9` in the middle of a batch, then `npm start` again: the batch ends with every row a Success and
 * exactly one invitation each, each asked-for e-mail sent exactly once, and the stack comes back on its own ports
 * without anyone's help.
 */
jest.setTimeout(600_000);

const ROWS = 10_000;
/** Killed once about a quarter of the rows are done. */
const KILL_AT = ROWS / 4;

let place: StackPlace;
let stack: LaunchedStack | undefined;

beforeEach(async () => {
  place = await newStackPlace();
  stack = await launchStack(place);
});

afterEach(async () => {
  if (stack) await stopGracefully(stack);
  rmSync(place.home, { recursive: true, force: true });
});

const admin = (request: Parameters<typeof signedCall>[2]) =>
  signedCall(stack!.endpoint, localCredentialsOf(place.home), request);
const dynamodbPid = () => (JSON.parse(readFileSync(stackFiles(place.home).dynamodbPid, 'utf8')) as { pid: number }).pid;

async function startBatch(csv = classTemplate(ROWS), query?: Record<string, string>): Promise<string> {
  const answer = await admin({
    method: 'POST',
    path: '/batches',
    headers: { 'content-type': 'text/csv' },
    body: csv,
    ...(query && { query }),
  });
  expect(answer.status).toBe(202);
  return ((await answer.json()) as { batchId: string }).batchId;
}

const batchOf = async (batchId: string): Promise<BatchView> =>
  ((await (await admin({ method: 'GET', path: `/batches/${batchId}` })).json()) as { batch: BatchView }).batch;

async function waitForBatch(batchId: string, done: (batch: BatchView) => boolean, seconds: number): Promise<BatchView> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const batch = await batchOf(batchId);
    if (done(batch)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} is still ${JSON.stringify(batch)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Invitations carrying the batch id, counted in the table itself. */
async function invitationsOf(batchId: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${place.ports.dynamodb}`,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
  });
  let count = 0;
  for (let shard = 0; shard < INDEX_SHARDS; shard++) {
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: LOCAL_TABLE_NAME,
          IndexName: 'byBatch',
          KeyConditionExpression: 'batchShard = :shard',
          ExpressionAttributeValues: { ':shard': { S: shardKey(batchId, shard) } },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  client.destroy();
  return count;
}

/**
 * The addresses of the mail the stack's catcher holds, once it holds `count` messages and no more arrive for 5 s;
 * fails after `seconds`.
 */
async function waitForMail(count: number, seconds: number): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  let settledAt: number | undefined;
  for (;;) {
    const answer = await fetch(`http://127.0.0.1:${place.ports.mailWeb}/api/email`);
    const mail = (await answer.json()) as { to: { address: string }[] }[];
    const addresses = mail.flatMap(({ to }) => to.map(({ address }) => address));
    if (addresses.length >= count && (settledAt ??= Date.now()) < Date.now() - 5_000) return addresses;
    if (Date.now() > deadline) throw new Error(`${addresses.length} of ${count} messages after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** After the restart: the batch completes, every row a Success in order, one invitation each. */
async function expectCompletedWhole(batchId: string): Promise<void> {
  const batch = await waitForBatch(batchId, ({ state }) => state !== 'processing', 300);
  expect(batch).toMatchObject({ state: 'completed', total: ROWS, succeeded: ROWS, failed: 0 });
  expect(await invitationsOf(batchId)).toBe(ROWS);
  const results = await admin({ method: 'GET', path: `/batches/${batchId}/results` });
  const rows: Record<string, string>[] = parse(await results.text(), { columns: true, bom: true });
  expect(rows.map((row) => `${row.Name}:${row.Status}`)).toEqual(
    Array.from({ length: ROWS }, (_, n) => `Student-${n + 1}:Success`),
  );
}

describe('a crash in the middle of a batch', () => {
  test('10,000 rows, every process of the stack killed, the emulators included: npm start again, and the batch completes whole', async () => {
    const batchId = await startBatch();
    await waitForBatch(batchId, ({ succeeded }) => succeeded >= KILL_AT, 120);
    const java = dynamodbPid();
    stack!.signalGroup('SIGKILL');
    process.kill(java, 'SIGKILL');
    await stack!.exited();

    stack = await launchStack(place);
    expect(stack.output()).not.toMatch(/Stopped DynamoDB Local/);
    expect((await batchOf(batchId)).succeeded).toBeLessThan(ROWS);
    await expectCompletedWhole(batchId);
  });

  test('only the stack’s process group killed: npm start ends the emulator it left behind and comes back on its ports', async () => {
    const batchId = await startBatch();
    await waitForBatch(batchId, ({ succeeded }) => succeeded >= KILL_AT, 120);
    const orphan = dynamodbPid();
    stack!.signalGroup('SIGKILL');
    await stack!.exited();
    expect(isRunning(orphan)).toBe(true);

    stack = await launchStack(place);
    expect(stack.output()).toContain(`Stopped DynamoDB Local (pid ${orphan}), left running by a previous run`);
    expect(isRunning(orphan)).toBe(false);
    expect(stack.endpoint).toBe(`http://127.0.0.1:${place.ports.gateway}`);
    await expectCompletedWhole(batchId);
  });

  test('a batch with --deliver: after npm start, every row is e-mailed once, none twice, none lost', async () => {
    const rows = 1_000;
    const batchId = await startBatch(classTemplateWithEmails(rows), { deliver: 'true' });
    await waitForBatch(batchId, ({ succeeded }) => succeeded >= rows / 4, 120);
    const java = dynamodbPid();
    stack!.signalGroup('SIGKILL');
    process.kill(java, 'SIGKILL');
    await stack!.exited();

    stack = await launchStack(place);
    const batch = await waitForBatch(batchId, ({ state }) => state !== 'processing', 300);
    expect(batch).toMatchObject({ state: 'completed', succeeded: rows, failed: 0 });
    const addresses = await waitForMail(rows, 300);
    expect(addresses).toHaveLength(rows);
    expect(new Set(addresses)).toEqual(new Set(Array.from({ length: rows }, (_, n) => studentAddress(n + 1))));
  });
});
