import { AWS_REQUESTS, type TracedJsonRequest, type TracedS3Request } from '../../lambdas/adapters/aws/transport';

type AttributeValue = { S?: string };
type Key = Record<string, AttributeValue>;
type Body = Record<string, unknown>;

/** One item action a DynamoDB request asks IAM for: on which table, which partition, through which index. */
export interface TableCall {
  table: string;
  /** The IAM action, e.g. `dynamodb:GetItem` (a transaction asks for one per item it names). */
  action: string;
  /** The partition key the request names (`dynamodb:LeadingKeys`); none for a scan. */
  partition?: string;
  index?: string;
  /** The request that asks for it, numbered from 0 in the recording, and that request's operation (`X-Amz-Target`). */
  request: number;
  operation: string;
}

type ItemCall = Omit<TableCall, 'request' | 'operation'>;

/** The partition a query names: the value its key condition gives `pk` (or the index's own partition key). */
function queriedPartition({ KeyConditionExpression, ExpressionAttributeValues }: Body): string | undefined {
  const placeholder = /^\s*\w+\s*=\s*(:\w+)/.exec(String(KeyConditionExpression))?.[1];
  const values = ExpressionAttributeValues as Record<string, AttributeValue> | undefined;
  return placeholder === undefined ? undefined : values?.[placeholder]?.S;
}

const onItem = (action: string, body: Body, key: Key): ItemCall => ({
  table: String(body.TableName),
  action: `dynamodb:${action}`,
  partition: key.pk?.S,
});

const TRANSACTION_ACTIONS = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/** The item actions a request of `operation` (its `X-Amz-Target` name) with this wire body asks IAM for. */
function callsOf(operation: string, body: Body): ItemCall[] {
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [onItem(operation, body, body.Key as Key)];
    case 'PutItem':
      return [onItem(operation, body, body.Item as Key)];
    case 'BatchGetItem':
      return Object.entries(body.RequestItems as Record<string, { Keys: Key[] }>).flatMap(([table, { Keys }]) =>
        Keys.map((key) => onItem(operation, { TableName: table }, key)),
      );
    case 'Query':
    case 'Scan':
      return [
        {
          table: String(body.TableName),
          action: `dynamodb:${operation}`,
          ...(operation === 'Query' && { partition: queriedPartition(body) }),
          ...(body.IndexName !== undefined && { index: String(body.IndexName) }),
        },
      ];
    case 'TransactWriteItems':
      return (body.TransactItems as Record<string, Body>[]).flatMap((item) =>
        Object.entries(TRANSACTION_ACTIONS)
          .filter(([kind]) => item[kind] !== undefined)
          .map(([kind, action]) => {
            const request = item[kind]!;
            return onItem(action, request, (request.Key ?? request.Item) as Key);
          }),
      );
    default:
      return [{ table: String(body.TableName), action: `dynamodb:${operation}` }];
  }
}

/**
 * Records, from now until `stop`, the item actions every DynamoDB request of this process asks IAM for, read from
 * the requests as they go on the wire: what the functions' code paths really need of their grants.
 */
export function recordTableCalls(): { calls: TableCall[]; stop(): void } {
  const calls: TableCall[] = [];
  let requests = 0;
  const onStart = (message: unknown) => {
    const traced = message as TracedJsonRequest | TracedS3Request;
    if (traced.service !== 'dynamodb' || !('operation' in traced)) return;
    const { operation, body } = traced;
    const number = requests++;
    calls.push(
      ...callsOf(operation, JSON.parse(body) as Body).map((call) => ({ ...call, request: number, operation })),
    );
  };
  AWS_REQUESTS.start.subscribe(onStart);
  return { calls, stop: () => AWS_REQUESTS.start.unsubscribe(onStart) };
}

/** One request of a recording: its operation and the item actions it names, each with its partition's prefix, sorted. */
export interface TableRequest {
  operation: string;
  actions: string[];
}

/** The recorded calls grouped by the request that made them, in the order the requests went. */
export function requestsOf(calls: readonly TableCall[]): TableRequest[] {
  const requests = new Map<number, TableCall[]>();
  for (const call of calls) requests.set(call.request, [...(requests.get(call.request) ?? []), call]);
  return [...requests.values()].map((named) => ({
    operation: named[0]!.operation,
    actions: named.map(({ action, partition }) => `${action} ${partition?.split('#')[0]}#`).sort(),
  }));
}
