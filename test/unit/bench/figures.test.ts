import { batchFigures, figuresOf } from '../../../bench/capacity/figures';
import type { OperationRecording } from '../../../bench/capacity/operations';
import type { SdkCall } from '../../../bench/shared/sdk-calls';

const call = (at: number, overrides: Partial<SdkCall>): SdkCall => ({
  service: 'dynamodb',
  operation: 'GetItem',
  startedAt: at,
  endedAt: at + 1,
  ...overrides,
});
const units = (readUnits: number, writeUnits: number, partition: string) => ({
  readUnits,
  writeUnits,
  indexWriteUnits: 0,
  partitions: { [partition]: { read: readUnits, write: writeUnits } },
});

describe('an operation’s figures', () => {
  it('count side-by-side requests as one round trip and add their units', () => {
    const figures = figuresOf({
      name: 'validate',
      invoked: ['registry'],
      apiRequests: 1,
      calls: [
        call(0, { units: units(1, 0, 'TOKEN#a') }),
        call(2, { operation: 'BatchGetItem', units: units(2, 0, 'INV#a') }),
        call(2.5, { units: units(1, 0, 'INV#b') }),
        call(5, { operation: 'UpdateItem', units: units(0, 1, 'INV#a') }),
      ],
    });
    expect(figures).toMatchObject({
      dynamodbRequests: 4,
      roundTrips: 3,
      readUnits: 4,
      writeUnits: 1,
      lambdaInvocations: 1,
    });
    expect(figures.hottestRead).toEqual({ partition: 'INV#a', read: 2, write: 1 });
  });

  it('of a batch split into a part per chunk and a part per batch, from two batches differing in chunks', () => {
    // 10 and 20 chunks: 3 requests once, 2 a chunk; one row-queue message a chunk plus one to finish.
    const batch = (chunks: number): OperationRecording => ({
      name: `batch of ${chunks}`,
      invoked: ['batches', 'batchSplitter'],
      apiRequests: 1,
      calls: [
        ...Array.from({ length: 3 + 2 * chunks }, (_, n) => call(n * 2, { units: units(1, 2, 'BATCH#1') })),
        call(1000, { service: 'sqs', operation: 'SendMessageBatch', entries: chunks + 1 }),
      ],
    });
    const { perBatch, perChunk } = batchFigures([batch(10), batch(20)]);
    expect(perChunk).toMatchObject({ dynamodbRequests: 2, readUnits: 2, writeUnits: 4, lambdaInvocations: 1 });
    expect(perChunk.hottestWrite.write).toBe(4);
    expect(perBatch).toMatchObject({ dynamodbRequests: 3, readUnits: 3, writeUnits: 6, apiRequests: 1 });
    // batches, splitter and the worker for the finishing message; its SQS send and the event source's two requests.
    expect(perBatch).toMatchObject({ lambdaInvocations: 3, sqsRequests: 3 });
  });
});
