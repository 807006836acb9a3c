import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { AwsError } from './errors';
import type { AwsJsonClient, Json } from './json-client';

/** An item, a key or a map of expression values in plain JavaScript values. */
export type Item = Record<string, unknown>;

interface Expressions {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

interface Conditional extends Expressions {
  ConditionExpression?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface Read extends Expressions {
  TableName: string;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
}

export interface GetInput extends Read {
  Key: Item;
}

export interface PutInput extends Conditional {
  TableName: string;
  Item: Item;
}

export interface UpdateInput extends Conditional {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

export interface DeleteInput extends Conditional {
  TableName: string;
  Key: Item;
}

export interface ScanInput extends Read {
  IndexName?: string;
  FilterExpression?: string;
  ExclusiveStartKey?: Item;
  Limit?: number;
  Segment?: number;
  TotalSegments?: number;
}

export interface QueryInput extends ScanInput {
  KeyConditionExpression: string;
  ScanIndexForward?: boolean;
}

export interface KeysAndAttributes extends Omit<Read, 'TableName' | 'ExpressionAttributeValues'> {
  Keys: Item[];
}

export interface BatchGetInput {
  RequestItems: Record<string, KeysAndAttributes>;
}

export interface TransactWriteItem {
  ConditionCheck?: DeleteInput & { ConditionExpression: string };
  Put?: PutInput;
  Update?: UpdateInput;
  Delete?: DeleteInput;
}

export interface TransactWriteInput {
  TransactItems: TransactWriteItem[];
}

export interface Page {
  Items?: Item[];
  Count?: number;
  LastEvaluatedKey?: Item;
}

/** Why each item of a cancelled transaction failed, in order: the item as it stood when a check asked for it. */
export interface CancellationReason {
  Code?: string;
  Message?: string;
  Item?: Item;
}

type WireItem = Parameters<typeof unmarshall>[0] & Record<string, unknown>;

/** As the SDK's document client marshalls (`removeUndefinedValues`): an attribute left undefined is not sent. */
const toWire = (item: Item): Json => marshall(item, { removeUndefinedValues: true });
const fromWire = (item: unknown): Item => unmarshall(item as WireItem);

const mapValues = <T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([name, value]) => [name, map(value)]));

/** The members of a request or answer that hold items, keys or expression values, each one map of attributes. */
const ITEM_MEMBERS = [
  'Key',
  'Item',
  'ExpressionAttributeValues',
  'ExclusiveStartKey',
  'Attributes',
  'LastEvaluatedKey',
];

/** A batch read's tables, each one's keys converted. */
const convertKeys = (reads: Record<string, KeysAndAttributes>, convert: (key: Item) => Item) =>
  mapValues(reads, (read) => ({ ...read, Keys: read.Keys.map(convert) }));

function convertMembers(document: Json, convert: (item: Item) => Item): Json {
  const converted = { ...document };
  for (const member of ITEM_MEMBERS) {
    if (converted[member] !== undefined) converted[member] = convert(converted[member] as Item);
  }
  return converted;
}

/**
 * A request's plain values in DynamoDB's typed attribute values, where the SDK's document client puts them: its
 * key, item and expression values, those of each item of a transaction, the keys of a batch read.
 */
function marshallInput(input: object): Json {
  const wire = convertMembers(input as Json, toWire);
  const { TransactItems, RequestItems } = wire;
  if (Array.isArray(TransactItems)) {
    wire.TransactItems = TransactItems.map((item: Json) =>
      mapValues(item, (action) => convertMembers(action as Json, toWire)),
    );
  }
  if (RequestItems) wire.RequestItems = convertKeys(RequestItems as Record<string, KeysAndAttributes>, toWire);
  return wire;
}

const plainReasons = (reasons: CancellationReason[]): CancellationReason[] =>
  reasons.map((reason) => (reason.Item ? { ...reason, Item: fromWire(reason.Item) } : reason));

/**
 * An answer's typed attribute values in plain values, as the SDK's document client gives them: its item, items,
 * attributes and last key, a batch read's responses and unprocessed keys.
 */
export function unmarshallOutput(output: Json): Json {
  const plain = convertMembers(output, fromWire);
  const { Items, Responses, UnprocessedKeys } = plain;
  if (Array.isArray(Items)) plain.Items = Items.map(fromWire);
  if (Responses) plain.Responses = mapValues(Responses as Record<string, unknown[]>, (items) => items.map(fromWire));
  if (UnprocessedKeys) {
    plain.UnprocessedKeys = convertKeys(UnprocessedKeys as Record<string, KeysAndAttributes>, fromWire);
  }
  return plain;
}

/**
 * DynamoDB's item operations in plain JavaScript values, with the inputs and outputs of the SDK's document client
 * (`@aws-sdk/lib-dynamodb`) and its marshalling, over the JSON-protocol client. A cancelled transaction's error
 * carries its `CancellationReasons`, each reason's item in plain values.
 */
export class DynamoDocuments {
  constructor(private readonly client: AwsJsonClient) {}

  get(input: GetInput): Promise<{ Item?: Item }> {
    return this.send('GetItem', input);
  }

  put(input: PutInput): Promise<{ Attributes?: Item }> {
    return this.send('PutItem', input);
  }

  update(input: UpdateInput): Promise<{ Attributes?: Item }> {
    return this.send('UpdateItem', input);
  }

  query(input: QueryInput): Promise<Page> {
    return this.send('Query', input);
  }

  scan(input: ScanInput): Promise<Page> {
    return this.send('Scan', input);
  }

  batchGet(
    input: BatchGetInput,
  ): Promise<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, KeysAndAttributes> }> {
    return this.send('BatchGetItem', input);
  }

  transactWrite(input: TransactWriteInput): Promise<object> {
    return this.send('TransactWriteItems', input);
  }

  private async send<Output>(operation: string, input: object): Promise<Output> {
    try {
      return unmarshallOutput(await this.client.call(operation, marshallInput(input))) as Output;
    } catch (error) {
      if (error instanceof AwsError) {
        const cancelled = error as AwsError & { CancellationReasons?: unknown };
        if (Array.isArray(cancelled.CancellationReasons)) {
          cancelled.CancellationReasons = plainReasons(cancelled.CancellationReasons);
        }
      }
      throw error;
    }
  }
}
