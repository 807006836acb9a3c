import { DeleteItemCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { auditEventOfImage, auditItem } from '../../../../lambdas/adapters/audit-items';
import { AuditLog } from '../../../../lambdas/adapters/audit-log';
import type { AuditEvent } from '../../../../lambdas/domain/audit';
import { bootstrapTable } from '../../../../local/emulators/bootstrap';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../../../local/emulators/local-aws';
import type { InvokeFunction } from '../../../../local/stack/lambda-runtime';
import { startStreamPoller, type StreamPoller, type StreamSettings } from '../../../../local/events/stream-poller';
import { AUDIT_TABLE } from '../../../../system/resources';
import { eventOf, newId } from '../../../support/port-contracts/fixtures';
import { scratchFolder } from '../../../support/scratch';
import { waitUntil } from '../../support/wait';

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

const endpoint = () => process.env.AWS_ENDPOINT_URL_DYNAMODB!;
const SETTINGS: StreamSettings = { batchSize: 100, retryAttempts: 2, bisectBatchOnError: true };

let table: string;
let auditLog: AuditLog;
let checkpointFile: string;
let pollers: StreamPoller[];
/** Every event the function was handed, invocation by invocation. */
let invocations: DynamoDBStreamEvent[];
let errors: jest.SpyInstance;

// A table of its own for each test, so no test sees another's records in its stream.
beforeEach(async () => {
  table = `stream-poller-${newId()}`;
  await bootstrapTable(endpoint(), table, AUDIT_TABLE);
  auditLog = new AuditLog(() => table);
  checkpointFile = join(scratchFolder('prism-stream-'), 'streams', 'auditPublisher.json');
  pollers = [];
  invocations = [];
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(async () => {
  await Promise.all(pollers.map((poller) => poller.stop()));
  errors.mockRestore();
});

function poll(handler: Handler, settings = SETTINGS): StreamPoller {
  const invoke = (async (_name: string, event: DynamoDBStreamEvent) => {
    invocations.push(structuredClone(event));
    return handler(event);
  }) as unknown as InvokeFunction;
  const poller = startStreamPoller({
    endpoint: endpoint(),
    tableName: table,
    functionName: 'auditPublisher',
    invoke,
    checkpointFile,
    settings,
    pollIntervalMs: 20,
    retryDelayMs: 10,
  });
  pollers.push(poller);
  return poller;
}

const handled: Handler = async () => undefined;

async function append(count: number): Promise<AuditEvent[]> {
  const events = Array.from({ length: count }, () => eventOf(newId(), new Date().toISOString()));
  for (const event of events) await auditLog.append(event);
  return events;
}

const appendedBy = (record: DynamoDBRecord) =>
  auditEventOfImage(record.dynamodb!.NewImage as Record<string, AttributeValue>);
const deliveredIds = () => invocations.flatMap(({ Records }) => Records.map((record) => appendedBy(record).eventId));
const idsOf = (events: AuditEvent[]) => events.map(({ eventId }) => eventId);
const countOf = (id: string) => deliveredIds().filter((delivered) => delivered === id).length;

/** A request straight to the emulator, as no adapter makes it. */
async function sendToTable<Output>(request: (client: DynamoDBClient) => Promise<Output>): Promise<Output> {
  const client = new DynamoDBClient({ endpoint: endpoint(), region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  try {
    return await request(client);
  } finally {
    client.destroy();
  }
}

const streamArn = async (): Promise<string> =>
  (await sendToTable((client) => client.send(new DescribeTableCommand({ TableName: table })))).Table!.LatestStreamArn!;

describe('the stream poller', () => {
  test('hands each new event to the function as a DynamoDB stream event, and keeps its position', async () => {
    const events = await append(3);
    poll(handled);

    await waitUntil('the three events are handed over', () => deliveredIds().length === 3);
    expect(deliveredIds()).toEqual(idsOf(events));
    const [record] = invocations[0]!.Records;
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: await streamArn(),
      awsRegion: LOCAL_REGION,
      dynamodb: {
        SequenceNumber: expect.any(String),
        ApproximateCreationDateTime: expect.any(Number),
        NewImage: expect.objectContaining({ pk: { S: auditItem(events[0]!).pk }, eventId: { S: events[0]!.eventId } }),
      },
    });
    expect(appendedBy(record!)).toEqual(events[0]);
    await waitUntil('its position is saved', () => existsSync(checkpointFile));
  });

  test('hands over the records written while it runs, one invocation at a time', async () => {
    poll(handled);
    const first = await append(2);
    await waitUntil('the first events are handed over', () => deliveredIds().length === 2);
    const second = await append(2);
    await waitUntil('the later events are handed over', () => deliveredIds().length === 4);
    expect(deliveredIds()).toEqual(idsOf([...first, ...second]));
  });

  test('hands over again a failed record and those after it, never those before it', async () => {
    const events = await append(3);
    let failedOnce = false;
    poll(async ({ Records }) => {
      const failing = Records.find((record) => appendedBy(record).eventId === events[1]!.eventId);
      if (!failing || failedOnce) return undefined;
      failedOnce = true;
      return { batchItemFailures: [{ itemIdentifier: failing.dynamodb!.SequenceNumber! }] };
    });

    await waitUntil('every event is handled', () => failedOnce && countOf(events[2]!.eventId) === 2);
    expect(idsOf(events).map(countOf)).toEqual([1, 2, 2]);
  });

  test('retries a batch its function threw on in halves, gives up on the record it keeps failing on, and goes on', async () => {
    const events = await append(4);
    const poison = events[1]!.eventId;
    poll(
      async ({ Records }) => {
        if (Records.some((record) => appendedBy(record).eventId === poison)) throw new Error('poison');
      },
      { batchSize: 4, retryAttempts: 2, bisectBatchOnError: true },
    );

    const gaveUp = () => errors.mock.calls.map(([line]) => String(line)).find((line) => line.includes('gave up'));
    await waitUntil('the poison is given up', gaveUp, 15_000);
    await waitUntil('the events after the poison are handed over', () => invocations.length === 7, 15_000);
    // The 4 records, halved to 2 then 1 (the first handled); the 3 from the poison on, halved to 2 then 1, given up
    // after its 2 retries; then the 2 after it.
    expect(invocations.map(({ Records }) => Records.length)).toEqual([4, 2, 1, 3, 2, 1, 2]);
    expect(invocations.at(-1)!.Records.map((record) => appendedBy(record).eventId)).toEqual(idsOf(events.slice(2)));
    expect(gaveUp()).toMatch(/gave up on records (\d+) to \1 of .* after 2 retries/);
    const [later] = await append(1);
    await waitUntil('a later event is handed over', () => countOf(later!.eventId) === 1, 15_000);
  });

  test('started again, goes on after what it handled and hands over what was written while it was stopped', async () => {
    const before = await append(2);
    const first = poll(handled);
    await waitUntil('the first events are handed over', () => deliveredIds().length === 2);
    await first.stop();

    const meanwhile = await append(3);
    invocations = [];
    poll(handled);
    await waitUntil('the events written meanwhile are handed over', () => deliveredIds().length === 3);
    expect(deliveredIds()).toEqual(idsOf(meanwhile));
    expect(deliveredIds()).not.toEqual(expect.arrayContaining(idsOf(before)));
  });

  test('hands over only what was appended: removals (expired events) are passed over', async () => {
    const [expired] = await append(1);
    poll(handled);
    await waitUntil('the event is handed over', () => deliveredIds().length === 1);
    const { pk, sk } = auditItem(expired!);
    const key = { pk: { S: String(pk) }, sk: { S: String(sk) } };
    await sendToTable((client) => client.send(new DeleteItemCommand({ TableName: table, Key: key })));
    const [later] = await append(1);

    await waitUntil('the later event is handed over', () => deliveredIds().length === 2);
    expect(deliveredIds()).toEqual([expired!.eventId, later!.eventId]);
    expect(invocations.flatMap(({ Records }) => Records.map((record) => record.eventName))).toEqual([
      'INSERT',
      'INSERT',
    ]);
  });
});
