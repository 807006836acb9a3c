import type { MiddlewareStack } from '@smithy/types';
import { documents, events, s3, sqs } from '../../lambdas/adapters/clients';

export type Service = 'dynamodb' | 'sqs' | 's3' | 'eventbridge';

/** One request an SDK client of this process sent, as it went on the wire. */
export interface SdkCall {
  service: Service;
  /** The API operation, e.g. `GetItem`, `SendMessageBatch`, `PutObject`. */
  operation: string;
  startedAt: number;
  endedAt: number;
  /** DynamoDB only: the JSON body as sent, so the request can be sent again as it was. */
  body?: string;
  /** EventBridge only: the events the request put. */
  entries?: number;
  /** DynamoDB only, when asked for: the request units it consumed, table and indexes together. */
  readUnits?: number;
  writeUnits?: number;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown> | undefined;
interface Capacity {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

export const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
export const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** What one missing key of a BatchGetItem costs: DynamoDB bills every key asked for, found or not. */
function missingKeysUnits(input: Input, output: Output): number {
  const requested = (input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>;
  const answered = (output?.Responses ?? {}) as Record<string, unknown[]>;
  return Object.entries(requested).reduce((sum, [table, { Keys = [], ConsistentRead }]) => {
    const missing = Keys.length - (answered[table]?.length ?? 0);
    return sum + missing * (ConsistentRead ? 1 : 0.5);
  }, 0);
}

/**
 * The units a DynamoDB answer reports, split into reads and writes by the operation. DynamoDB Local reports
 * only the keys it found for a BatchGetItem; DynamoDB bills the others too, so they are added.
 */
function consumedUnits(operation: string, input: Input, output: Output): Pick<SdkCall, 'readUnits' | 'writeUnits'> {
  const reported = output?.ConsumedCapacity as Capacity | Capacity[] | undefined;
  const total = [reported ?? []].flat().reduce((sum, capacity) => sum + (capacity.CapacityUnits ?? 0), 0);
  if (READ_OPERATIONS.has(operation)) {
    return { readUnits: total + (operation === 'BatchGetItem' ? missingKeysUnits(input, output) : 0), writeUnits: 0 };
  }
  return { readUnits: 0, writeUnits: total };
}

const OPERATIONS_WITH_CAPACITY = new Set([...READ_OPERATIONS, ...WRITE_OPERATIONS]);

interface Stacked {
  service: Service;
  stack: MiddlewareStack<object, object>;
}

const clients = (): Stacked[] => [
  { service: 'dynamodb', stack: documents().middlewareStack as unknown as MiddlewareStack<object, object> },
  { service: 'sqs', stack: sqs().middlewareStack as unknown as MiddlewareStack<object, object> },
  { service: 's3', stack: s3().middlewareStack as unknown as MiddlewareStack<object, object> },
  { service: 'eventbridge', stack: events().middlewareStack as unknown as MiddlewareStack<object, object> },
];

export interface SdkRecording {
  calls: SdkCall[];
  stop(): void;
}

/**
 * Records, from now until `stop`, every request the registry's SDK clients in this process send (the
 * functions of an embedded stack or of a test run here): which operation, when it started and ended, and for
 * DynamoDB its wire body. With `consumedCapacity`, each DynamoDB request also asks for the units it consumes
 * (ReturnConsumedCapacity INDEXES, so index writes count too) and the recording keeps them.
 */
export function recordSdkCalls(options: { consumedCapacity?: boolean } = {}): SdkRecording {
  const calls: SdkCall[] = [];
  const name = `recordSdkCalls-${Math.random().toString(36).slice(2)}`;
  const bodies = new WeakMap<object, string>();
  const added = clients();
  for (const { service, stack } of added) {
    stack.add(
      (next, context) => async (args) => {
        const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
        const input = args.input as Input;
        const measured = service === 'dynamodb' && options.consumedCapacity && OPERATIONS_WITH_CAPACITY.has(operation);
        if (measured) input.ReturnConsumedCapacity = 'INDEXES';
        const startedAt = performance.now();
        const result = await next(args);
        const output = result.output as Output;
        calls.push({
          service,
          operation,
          startedAt,
          endedAt: performance.now(),
          ...(bodies.has(context) && { body: bodies.get(context) }),
          ...(service === 'eventbridge' && { entries: (input.Entries as unknown[] | undefined)?.length ?? 0 }),
          ...(measured && consumedUnits(operation, input, output)),
        });
        return result;
      },
      { step: 'initialize', name: `${name}-${service}` },
    );
    if (service === 'dynamodb') {
      stack.add(
        (next, context) => async (args) => {
          const body = (args.request as { body?: string | Uint8Array }).body;
          if (body !== undefined) bodies.set(context, typeof body === 'string' ? body : new TextDecoder().decode(body));
          return next(args);
        },
        { step: 'build', name: `${name}-body` },
      );
    }
  }
  return {
    calls,
    stop: () => {
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
