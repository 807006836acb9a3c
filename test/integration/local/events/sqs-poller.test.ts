import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import type { FunctionName } from '../../../../system/functions';
import { ROW_QUEUE } from '../../../../system/resources';
import type { LocalQueue, LocalQueues } from '../../../../local/emulators/queue-resources';
import type { Fauxqs } from '../../../../local/emulators/fauxqs';
import type { InvokeFunction } from '../../../../local/stack/lambda-runtime';
import { startQueuePoller, type QueuePoller } from '../../../../local/events/sqs-poller';
import { waitUntil } from '../../support/wait';
import { startQueueEmulator } from '../../../support/queue-emulator';

type Handler = (event: SQSEvent) => Promise<unknown>;

const invoke = jest.fn<Promise<unknown>, [FunctionName, SQSEvent, string]>();
const handlers = new Map<FunctionName, Handler>();
let fauxqs: Fauxqs;
let queues: LocalQueues;
let sqs: SQSClient;
let pollers: QueuePoller[];

// A fauxqs of its own for each test, so no test sees another's messages.
beforeEach(async () => {
  ({ fauxqs, queues, sqs } = await startQueueEmulator());
  pollers = [];
  handlers.clear();
  invoke.mockReset();
  invoke.mockImplementation((name, event) => handlers.get(name)!(event));
});

afterEach(async () => {
  await Promise.all(pollers.map((poller) => poller.stop()));
  sqs.destroy();
  await fauxqs.stop();
});

function poll(functionName: FunctionName, queue: LocalQueue, handler: Handler, maxConcurrency = 1): QueuePoller {
  handlers.set(functionName, handler);
  const poller = startQueuePoller({
    endpoint: fauxqs.endpoint,
    queue,
    functionName,
    invoke: invoke as unknown as InvokeFunction,
    batchSize: ROW_QUEUE.batchSize,
    maxConcurrency,
  });
  pollers.push(poller);
  return poller;
}

async function send(
  queue: LocalQueue,
  bodies: string[],
  attributes: SendMessageBatchRequestEntry['MessageAttributes'] = {},
) {
  // The row queues are FIFO: each message its own group here, so a receive may take several at once.
  const fifo = queue.url.endsWith('.fifo');
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies.slice(start, start + 10).map((body, index) => ({
      Id: String(index),
      MessageBody: body,
      MessageAttributes: attributes,
      ...(fifo && { MessageGroupId: `group-${start + index}`, MessageDeduplicationId: randomUUID() }),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }));
  }
}

async function counts(queue: LocalQueue) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

const isEmpty = async (queue: LocalQueue) => {
  const { visible, inFlight } = await counts(queue);
  return visible === 0 && inFlight === 0;
};
const records = (name?: FunctionName): SQSRecord[] =>
  invoke.mock.calls.filter(([called]) => !name || called === name).flatMap(([, event]) => event.Records);
const bodies = (count: number) => Array.from({ length: count }, (_, index) => `{"chunk":${index}}`);
const succeed: Handler = async () => ({ batchItemFailures: [] });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a queue poller', () => {
  it('hands messages to its function as SQSEvents of at most batchSize records and deletes them on success', async () => {
    const rows = queues.rows;
    await send(rows, bodies(7), {
      kind: { DataType: 'String', StringValue: 'rows' },
      digest: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
    });
    poll('batchWorker', rows, succeed);

    await waitUntil('every message is delivered', () => records().length === 7);
    expect(invoke.mock.calls.map(([name, event]) => [name, event.Records.length])).toEqual([
      ['batchWorker', ROW_QUEUE.batchSize],
      ['batchWorker', 7 - ROW_QUEUE.batchSize],
    ]);
    const record = records()[0]!;
    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: '{"chunk":0}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        MessageGroupId: 'group-0',
        MessageDeduplicationId: expect.any(String),
        SequenceNumber: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {
        kind: { stringValue: 'rows', stringListValues: [], binaryListValues: [], dataType: 'String' },
        digest: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: md5('{"chunk":0}'),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: rows.arn,
      awsRegion: 'us-east-1',
    });
    expect(new Set(records().map((delivered) => delivered.body))).toEqual(new Set(bodies(7)));
    expect(invoke.mock.calls.map(([, , requestId]) => requestId)).toEqual([expect.any(String), expect.any(String)]);
    await waitUntil('the queue is empty', () => isEmpty(rows));
  });

  it('runs at most maxConcurrency invocations at once', async () => {
    const rows = queues.rows;
    await send(rows, bodies(3 * ROW_QUEUE.batchSize));
    let running = 0;
    let mostAtOnce = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    poll(
      'batchWorker',
      rows,
      async () => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await released;
        running--;
        return { batchItemFailures: [] };
      },
      2,
    );

    await waitUntil('two invocations run', () => running === 2);
    // Proving a third one does not start needs a moment in which it could.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await counts(rows)).toEqual({ visible: ROW_QUEUE.batchSize, inFlight: 2 * ROW_QUEUE.batchSize });
    release();
    await waitUntil('every message is processed', () => isEmpty(rows));
    expect([invoke.mock.calls.length, mostAtOnce]).toEqual([3, 2]);
  });

  it('leaves the messages named in batchItemFailures to come back once their visibility timeout ends', async () => {
    const rows = queues.rows;
    await send(rows, ['first', 'second', 'third']);
    poll('batchWorker', rows, async (event): Promise<SQSBatchResponse> => {
      const failed = event.Records.filter(
        (record) => record.body === 'second' && record.attributes.ApproximateReceiveCount === '1',
      );
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    await waitUntil('the others are deleted', async () => (await counts(rows)).visible === 0 && records().length === 3);
    expect(await counts(rows)).toEqual({ visible: 0, inFlight: 1 });
    const failed = records().find((record) => record.body === 'second')!;
    // What the worker does to retry sooner than ROW_QUEUE.visibilityTimeoutSeconds.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: rows.url,
        ReceiptHandle: failed.receiptHandle,
        VisibilityTimeout: 0,
      }),
    );

    await waitUntil('it comes back', () => records().length === 4);
    expect(records()[3]).toMatchObject({ messageId: failed.messageId, attributes: { ApproximateReceiveCount: '2' } });
    await waitUntil('the queue is empty', () => isEmpty(rows));
  });

  it.each<[string, Handler]>([
    ['throws', async () => Promise.reject(new Error('worker crashed'))],
    [
      'answers a failure no message of the batch has',
      async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }),
    ],
    ['answers something that is no SQSBatchResponse', async () => 'done'],
  ])('leaves every message of an invocation that %s', async (_, handler) => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const rows = queues.rows;
    await send(rows, ['first', 'second']);
    poll('batchWorker', rows, handler);

    await waitUntil('the function has run', () => records().length === 2);
    await waitUntil('the poller has logged it', () => logged.mock.calls.length > 0);
    expect(await counts(rows)).toEqual({ visible: 0, inFlight: 2 });
    expect(logged.mock.calls.flat().map(String).join(' ')).not.toMatch(/first|second/);
    logged.mockRestore();
  });

  it('sees a message moved to the dead-letter queue after ROW_QUEUE.maxReceiveCount failed deliveries', async () => {
    const { rows, rowDeadLetters } = queues;
    const failFast: Handler = async (event) => {
      for (const record of event.Records) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: rows.url,
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      }
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    };
    await send(rows, ['poison']);
    poll('batchWorker', rows, failFast);
    poll('batchDeadLetters', rowDeadLetters, succeed);

    await waitUntil('the dead-letter function gets it', () => records('batchDeadLetters').length === 1);
    const deliveries = records('batchWorker');
    expect(deliveries.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(
      Array.from({ length: ROW_QUEUE.maxReceiveCount }, (_, index) => String(index + 1)),
    );
    expect(records('batchDeadLetters')[0]).toMatchObject({
      messageId: deliveries[0]!.messageId,
      body: 'poison',
      eventSourceARN: rowDeadLetters.arn,
    });
    await waitUntil('both queues are empty', async () => (await isEmpty(rows)) && (await isEmpty(rowDeadLetters)));
  });

  it('stops receiving on stop, once the invocation under way has finished and its messages are deleted', async () => {
    const rows = queues.rows;
    await send(rows, ['under way']);
    let finish: () => void = () => undefined;
    const poller = poll('batchWorker', rows, () => new Promise((resolve) => (finish = () => resolve(undefined))));
    await waitUntil('the invocation runs', () => records().length === 1);

    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    finish();
    await stopping;

    expect(await counts(rows)).toEqual({ visible: 0, inFlight: 0 });
    await send(rows, ['after the stop']);
    expect(await counts(rows)).toEqual({ visible: 1, inFlight: 0 });
    expect(records()).toHaveLength(1);
  });
});
