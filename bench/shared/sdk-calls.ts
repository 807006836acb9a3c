import { unmarshallOutput } from '../../lambdas/adapters/aws/documents';
import { AWS_REQUESTS, type TracedJsonRequest, type TracedS3Request } from '../../lambdas/adapters/aws/transport';
import type { S3Request } from '../../lambdas/adapters/s3/rest-client';
import { requestUnits, type RequestUnits, type StoredItem } from './request-units';

export type Service = 'dynamodb' | 'sqs' | 's3' | 'eventbridge';

/** One request an AWS adapter of this process sent, as it went on the wire. */
export interface SdkCall {
  service: Service;
  /** The API operation, e.g. `GetItem`, `SendMessageBatch`, `PutObject`. */
  operation: string;
  startedAt: number;
  endedAt: number;
  /** DynamoDB only: the JSON body as sent, so the request can be sent again as it was. */
  body?: string;
  /** SQS and EventBridge: the messages or events the request sent. */
  entries?: number;
  /** EventBridge only: the detail type of each event it put. */
  detailTypes?: string[];
  /** DynamoDB only, when asked for: the request units it costs on AWS (see request-units.ts). */
  units?: RequestUnits;
}

type Input = Record<string, unknown>;

export const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
export const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** The messages or events a request sends: billed per request, but what the receivers are invoked for. */
function entriesOf(service: string, operation: string, body: Input): number | undefined {
  if (service === 'eventbridge' || operation === 'SendMessageBatch') return (body.Entries as unknown[]).length;
  return operation === 'SendMessage' ? 1 : undefined;
}

/** The S3 API operation a request of the S3 adapter is, by its method and query, as S3 names and bills it. */
function s3Operation({ method, query = {} }: S3Request): string {
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'PUT') return 'partNumber' in query ? 'UploadPart' : 'PutObject';
  if (method === 'POST') return 'uploads' in query ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  return 'uploadId' in query ? 'AbortMultipartUpload' : 'DeleteObject';
}

type Traced = (TracedS3Request | TracedJsonRequest) & { result?: unknown; error?: unknown };

const detailTypesOf = (service: string, body: Input): string[] | undefined =>
  service === 'eventbridge'
    ? (body.Entries as { DetailType?: string }[]).map(({ DetailType = '' }) => DetailType)
    : undefined;

/**
 * What a JSON request's wire body says of it: for DynamoDB the body itself, for the others their entries (and an
 * EventBridge request's detail types).
 */
function wireOf({ service, operation, body }: TracedJsonRequest): Pick<SdkCall, 'body' | 'entries' | 'detailTypes'> {
  if (service === 'dynamodb') return { body };
  const input = JSON.parse(body) as Input;
  const entries = entriesOf(service, operation, input);
  const detailTypes = detailTypesOf(service, input);
  return { ...(entries !== undefined && { entries }), ...(detailTypes && { detailTypes }) };
}

export interface SdkRecording {
  calls: SdkCall[];
  /** Stops recording; resolves once every recorded request has its units. */
  stop(): Promise<void>;
}

/**
 * Records, from now until `stop`, every request that succeeds of the registry's AWS adapters in this process (the
 * functions of an embedded stack or of a test run here), from the transport's diagnostics channel: which service
 * and operation, when it started and ended, and for DynamoDB its wire body. Given `stored` (what a write names only
 * by key, read after it), each DynamoDB request also gets the units it costs on AWS, set once it is answered.
 */
export function recordSdkCalls(options: { stored?: StoredItem } = {}): SdkRecording {
  const calls: SdkCall[] = [];
  const pricing: Promise<unknown>[] = [];
  const startedAt = new WeakMap<object, number>();
  const onStart = (message: unknown) => startedAt.set(message as Traced, performance.now());
  const onEnd = (message: unknown) => {
    const traced = message as Traced;
    if ('error' in traced) return;
    const call: SdkCall = {
      service: traced.service as Service,
      operation: 'request' in traced ? s3Operation(traced.request) : traced.operation,
      startedAt: startedAt.get(traced) ?? performance.now(),
      endedAt: performance.now(),
      ...('operation' in traced && wireOf(traced)),
    };
    calls.push(call);
    if (options.stored && 'operation' in traced && traced.service === 'dynamodb') {
      const answer = unmarshallOutput(traced.result as Input);
      pricing.push(
        requestUnits(traced.operation, JSON.parse(traced.body) as Input, answer, options.stored).then(
          (units) => (call.units = units),
        ),
      );
    }
  };
  AWS_REQUESTS.start.subscribe(onStart);
  AWS_REQUESTS.asyncEnd.subscribe(onEnd);
  return {
    calls,
    stop: async () => {
      AWS_REQUESTS.start.unsubscribe(onStart);
      AWS_REQUESTS.asyncEnd.unsubscribe(onEnd);
      await Promise.all(pricing);
    },
  };
}

/**
 * The DynamoDB requests grouped into round trips: a request that starts before every earlier one has been
 * answered goes out beside them (one round trip); one that starts after all of them starts the next.
 */
export function roundTrips(calls: readonly SdkCall[]): SdkCall[][] {
  const trips: SdkCall[][] = [];
  let tripEnd = -Infinity;
  for (const call of [...calls].filter((c) => c.service === 'dynamodb').sort((a, b) => a.startedAt - b.startedAt)) {
    const current = trips.at(-1);
    if (current && call.startedAt < tripEnd) {
      current.push(call);
      tripEnd = Math.max(tripEnd, call.endedAt);
    } else {
      trips.push([call]);
      tripEnd = call.endedAt;
    }
  }
  return trips;
}
