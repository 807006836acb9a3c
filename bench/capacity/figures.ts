import { ROWS_PER_MESSAGE } from '../../lambdas/domain/batch';
import { FUNCTIONS, type FunctionName } from '../../system/functions';
import { sumUnits, type PartitionUnits } from '../shared/request-units';
import { roundTrips, type SdkCall } from '../shared/sdk-calls';
import { BATCH_CHUNKS, type Measured, type OperationRecording } from './operations';

/**
 * Planning figures for Lambda time, which no emulator measures: an invocation's own work, and each request
 * to an AWS service made in turn (a DynamoDB round trip, an S3, SQS or EventBridge request) within a region.
 */
export const LAMBDA_MODEL = { msPerInvocation: 20, msPerRequest: 10 } as const;

/** What one operation costs, in the units AWS bills. */
export interface Figures {
  name: string;
  lambdaInvocations: number;
  /** Lambda time by the model above, and its GB-seconds at the functions' memory. */
  lambdaMs: number;
  gbSeconds: number;
  apiRequests: number;
  dynamodbRequests: number;
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  /** Of the write units, those to the audit table (its own table, with its own throughput). */
  auditWriteUnits: number;
  indexWriteUnits: number;
  sqsRequests: number;
  /** S3 requests billed as PUT, COPY, POST, LIST (class A) and as GET and the rest (class B). */
  s3ClassA: number;
  s3ClassB: number;
  events: number;
  /** The units of the partition this operation writes most, and reads most. */
  hottestWrite: PartitionUnits & { partition: string };
  hottestRead: PartitionUnits & { partition: string };
}

const S3_CLASS_A = new Set([
  'PutObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'ListObjectsV2',
]);

/** The audit table's partitions, `AUDIT#<shard>` (lambdas/adapters/audit-log.ts). */
const AUDIT_PARTITION = 'AUDIT#';

const count = (calls: readonly SdkCall[], test: (call: SdkCall) => boolean) => calls.filter(test).length;

function hottest(partitions: Record<string, PartitionUnits>, by: keyof PartitionUnits) {
  const [partition, units] = Object.entries(partitions).sort(([, a], [, b]) => b[by] - a[by])[0] ?? [
    '',
    { read: 0, write: 0 },
  ];
  return { partition, ...units };
}

/** The figures of one recorded operation; `workerMessages` says whether its SQS messages each invoke the batch worker. */
export function figuresOf(recording: OperationRecording, workerMessages = false): Figures {
  const { calls } = recording;
  const units = sumUnits(calls.flatMap((call) => call.units ?? []));
  const messages = calls.filter((call) => call.service === 'sqs').reduce((sum, call) => sum + (call.entries ?? 0), 0);
  const invoked: FunctionName[] = [
    ...recording.invoked,
    ...Array.from({ length: workerMessages ? messages : 0 }, (): FunctionName => 'batchWorker'),
  ];
  // A batch's functions run side by side: its requests are counted as made in turn.
  const trips = workerMessages ? count(calls, (call) => call.service === 'dynamodb') : roundTrips(calls).length;
  const otherRequests = count(calls, (call) => call.service !== 'dynamodb');
  const lambdaMs = invoked.length * LAMBDA_MODEL.msPerInvocation + (trips + otherRequests) * LAMBDA_MODEL.msPerRequest;
  // Each invocation's share of the time, at its function's memory.
  const gbSeconds = invoked.reduce(
    (sum, name) => sum + ((lambdaMs / invoked.length / 1000) * FUNCTIONS[name].memoryMb) / 1024,
    0,
  );
  return {
    name: recording.name,
    lambdaInvocations: invoked.length,
    lambdaMs,
    gbSeconds,
    apiRequests: recording.apiRequests,
    dynamodbRequests: count(calls, (call) => call.service === 'dynamodb'),
    roundTrips: trips,
    readUnits: units.readUnits,
    writeUnits: units.writeUnits,
    auditWriteUnits: Object.entries(units.partitions)
      .filter(([partition]) => partition.startsWith(AUDIT_PARTITION))
      .reduce((sum, [, { write }]) => sum + write, 0),
    indexWriteUnits: units.indexWriteUnits,
    // The event source receives and deletes each message it hands the worker: two requests a message at most.
    sqsRequests: count(calls, (call) => call.service === 'sqs') + (workerMessages ? 2 * messages : 0),
    s3ClassA: count(calls, (call) => call.service === 's3' && S3_CLASS_A.has(call.operation)),
    s3ClassB: count(calls, (call) => call.service === 's3' && !S3_CLASS_A.has(call.operation)),
    events: calls.filter((call) => call.service === 'eventbridge').reduce((sum, call) => sum + (call.entries ?? 0), 0),
    hottestWrite: hottest(units.partitions, 'write'),
    hottestRead: hottest(units.partitions, 'read'),
  };
}

type Numeric = Exclude<keyof Figures, 'name' | 'hottestWrite' | 'hottestRead'>;
const NUMERIC: Numeric[] = [
  'lambdaInvocations',
  'lambdaMs',
  'gbSeconds',
  'apiRequests',
  'dynamodbRequests',
  'roundTrips',
  'readUnits',
  'writeUnits',
  'auditWriteUnits',
  'indexWriteUnits',
  'sqsRequests',
  's3ClassA',
  's3ClassB',
  'events',
];

/**
 * (Σ k·figures) / divisor, figure by figure; the hottest partitions' units alike, named as in the first term.
 * Dividing last keeps whole figures whole.
 */
function linear(name: string, terms: readonly [Figures, number][], divisor = 1): Figures {
  const [first] = terms[0]!;
  const combined = (value: (figures: Figures) => number) =>
    terms.reduce((sum, [term, k]) => sum + k * value(term), 0) / divisor;
  const figures: Figures = { ...first, name };
  for (const key of NUMERIC) figures[key] = combined((term) => term[key]);
  for (const hot of ['hottestWrite', 'hottestRead'] as const) {
    figures[hot] = {
      partition: first[hot].partition,
      read: combined((term) => term[hot].read),
      write: combined((term) => term[hot].write),
    };
  }
  return figures;
}

export interface BatchFigures {
  /** What every batch costs once: the upload, the split, the finalisation. */
  perBatch: Figures;
  /** What each chunk of ROWS_PER_MESSAGE rows adds. */
  perChunk: Figures;
}

/** Splits the two measured batches into a part per chunk and a fixed part: they differ only in chunks. */
export function batchFigures([small, large]: readonly OperationRecording[]): BatchFigures {
  const [fewer, more] = BATCH_CHUNKS;
  const a = figuresOf(small!, true);
  const b = figuresOf(large!, true);
  const perChunk = linear(
    `batch, per chunk of ${ROWS_PER_MESSAGE} rows`,
    [
      [b, 1],
      [a, -1],
    ],
    more - fewer,
  );
  return {
    perBatch: linear('batch, once per batch', [
      [a, 1],
      [perChunk, -fewer],
    ]),
    perChunk,
  };
}

export interface CapacityFigures {
  operations: Figures[];
  batch: BatchFigures;
  /** Units one validation reads from its root's partition, and one registration and one creation write there. */
  root: { validationReads: number; registrationWrites: number; creationWrites: number };
}

export function capacityFigures(measured: Measured): CapacityFigures {
  const onRoot = (name: string, by: keyof PartitionUnits) => {
    const recording = measured.operations.find((operation) => operation.name === name)!;
    const units = sumUnits(recording.calls.flatMap((call) => call.units ?? []));
    return units.partitions[measured.rootPartition]?.[by] ?? 0;
  };
  return {
    operations: measured.operations.map((recording) => figuresOf(recording)),
    batch: batchFigures(measured.batches),
    root: {
      validationReads: onRoot('validate', 'read'),
      registrationWrites: onRoot('register', 'write'),
      creationWrites: onRoot('create invitation', 'write'),
    },
  };
}
