import type { MiddlewareStack } from '@smithy/types';
import { documents, sqs } from '../../lambdas/adapters/clients';
import { events } from '../../lambdas/adapters/event-bus';
import { S3_REQUESTS, type S3Request } from '../../lambdas/adapters/s3/rest-client';
import { requestUnits, type RequestUnits, type StoredItem } from './request-units';

export type Service = 'dynamodb' | 'sqs' | 's3' | 'eventbridge';

/** One request an SDK client (or the S3 adapter) of this process sent, as it went on the wire. */
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
function entriesOf(service: Service, operation: string, input: Input): number | undefined {
  if (service === 'eventbridge' || operation === 'SendMessageBatch') return (input.Entries as unknown[]).length;
  return operation === 'SendMessage' ? 1 : undefined;
}

const detailTypesOf = (service: Service, input: Input): string[] | undefined =>
  service === 'eventbridge'
    ? (input.Entries as { DetailType?: string }[]).map(({ DetailType = '' }) => DetailType)
    : undefined;

interface Stacked {
  service: Service;
  stack: MiddlewareStack<object, object>;
}

const clients = (): Stacked[] => [
  { service: 'dynamodb', stack: documents().middlewareStack as unknown as MiddlewareStack<object, object> },
  { service: 'sqs', stack: sqs().middlewareStack as unknown as MiddlewareStack<object, object> },
  { service: 'eventbridge', stack: events().middlewareStack as unknown as MiddlewareStack<object, object> },
];

/** The S3 API operation a request of the S3 adapter is, by its method and query, as S3 names and bills it. */
function s3Operation({ method, query = {} }: S3Request): string {
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'PUT') return 'partNumber' in query ? 'UploadPart' : 'PutObject';
  if (method === 'POST') return 'uploads' in query ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  return 'uploadId' in query ? 'AbortMultipartUpload' : 'DeleteObject';
}

type TracedS3Request = { request: S3Request; error?: unknown };

/** Records into `calls` every S3 request that succeeds, from the S3 adapter's diagnostics channel; returns the stop. */
function recordS3Calls(calls: SdkCall[]): () => void {
  const startedAt = new WeakMap<object, number>();
  const onStart = (traced: unknown) => startedAt.set(traced as TracedS3Request, performance.now());
  const onEnd = (message: unknown) => {
    const traced = message as TracedS3Request;
    if ('error' in traced) return;
    const started = startedAt.get(traced) ?? performance.now();
    calls.push({
      service: 's3',
      operation: s3Operation(traced.request),
      startedAt: started,
      endedAt: performance.now(),
    });
  };
  S3_REQUESTS.start.subscribe(onStart);
  S3_REQUESTS.asyncEnd.subscribe(onEnd);
  return () => {
    S3_REQUESTS.start.unsubscribe(onStart);
    S3_REQUESTS.asyncEnd.unsubscribe(onEnd);
  };
}

export interface SdkRecording {
  calls: SdkCall[];
  stop(): void;
}

/**
 * Records, from now until `stop`, every request the registry's SDK clients and S3 adapter in this process send (the
 * functions of an embedded stack or of a test run here): which operation, when it started and ended, and for
 * DynamoDB its wire body. Given `stored` (what a write names only by key, read after it), each DynamoDB
 * request also gets the units it costs on AWS.
 */
export function recordSdkCalls(options: { stored?: StoredItem } = {}): SdkRecording {
  const calls: SdkCall[] = [];
  const name = `recordSdkCalls-${Math.random().toString(36).slice(2)}`;
  const wire = new WeakMap<object, Pick<SdkCall, 'body' | 'units'>>();
  const added = clients();
  const stopS3 = recordS3Calls(calls);
  for (const { service, stack } of added) {
    stack.add(
      (next, context) => async (args) => {
        const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
        const startedAt = performance.now();
        const result = await next(args);
        const endedAt = performance.now();
        const entries = entriesOf(service, operation, args.input as Input);
        const detailTypes = detailTypesOf(service, args.input as Input);
        calls.push({
          service,
          operation,
          startedAt,
          endedAt,
          ...wire.get(context),
          ...(entries !== undefined && { entries }),
          ...(detailTypes && { detailTypes }),
        });
        return result;
      },
      { step: 'initialize', name: `${name}-${service}` },
    );
    if (service === 'dynamodb') {
      stack.add(
        (next, context) => async (args) => {
          const sent = (args.request as { body?: string | Uint8Array }).body;
          const body = typeof sent === 'string' ? sent : new TextDecoder().decode(sent);
          const result = await next(args);
          const operation = String((context as { commandName?: string }).commandName).replace(/Command$/, '');
          const units =
            options.stored &&
            (await requestUnits(operation, JSON.parse(body) as Input, result.output as Input, options.stored));
          wire.set(context, { body, ...(units && { units }) });
          return result;
        },
        { step: 'build', name: `${name}-body` },
      );
    }
  }
  return {
    calls,
    stop: () => {
      stopS3();
      for (const { service, stack } of added) stack.remove(`${name}-${service}`);
      added[0]!.stack.remove(`${name}-body`);
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
