import { AUDIT_TABLE, REGISTRY_TABLE } from '../../system/resources';

/**
 * The request units a DynamoDB request costs on AWS, by DynamoDB's published rules, from the request as it went
 * on the wire (typed attribute values) and its answer as the SDK reads it (plain values). DynamoDB Local's own ConsumedCapacity does not
 * follow them for transactions, so they are applied here:
 * - a read: 1 unit per 4 KB of each item (a Query or Scan: of all items together), at least 1 per key asked
 *   for, found or not; half that when eventually consistent; a transaction's reads count double;
 * - a write: 1 unit per 1 KB of the item (an update or delete: the item as it stands after the request; a
 *   condition check: the checked item), a transaction's writes count double;
 * - an index write: 1 unit per 1 KB of the item for every index the written item is in (indexes project all
 *   attributes; a deleted item's are not counted), not doubled by a transaction.
 */
export interface RequestUnits {
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  /** Read and write units by partition (`pk`), for the items a request names by key (not a Query's or Scan's). */
  partitions: Record<string, PartitionUnits>;
}

export interface PartitionUnits {
  read: number;
  write: number;
}

type Value = Record<string, unknown>;
type WireItem = Record<string, Value>;
/** An item as the SDK's document client gives it: plain values. */
export type PlainItem = Record<string, unknown>;
type Body = Record<string, unknown>;
interface KeysRead {
  Keys: Record<string, unknown>[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
}

/** The item stored at `key` (a wire key), none when absent, read from DynamoDB after the request. */
export type StoredItem = (table: string, key: Record<string, unknown>) => Promise<PlainItem | undefined>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: about one byte per two significant digits, plus one. */
const numberSize = (text: string) => Math.ceil(text.replace(/^[-+]?0*|[.eE].*$|\./g, '').length / 2) + 1;

function valueSize(value: Value): number {
  const [type, content] = Object.entries(value)[0] as [string, unknown];
  switch (type) {
    case 'S':
      return utf8(content as string);
    case 'N':
      return numberSize(content as string);
    case 'B':
      return Buffer.from(content as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, text) => sum + utf8(text), 0);
    case 'NS':
      return (content as string[]).reduce((sum, text) => sum + numberSize(text), 0);
    case 'BS':
      return (content as string[]).reduce((sum, text) => sum + Buffer.from(text, 'base64').length, 0);
    case 'L':
      return 3 + (content as Value[]).reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M':
      return 3 + Object.entries(content as WireItem).reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueSize(v), 0);
    default:
      throw new Error(`unknown attribute type ${type}`);
  }
}

function plainSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce((sum: number, v) => sum + plainSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + plainSize(element), 0);
  const entries = Object.entries(value as PlainItem);
  return 3 + entries.reduce((sum, [name, v]) => sum + 1 + utf8(name) + plainSize(v), 0);
}

/** An item's size by DynamoDB's rules (attribute names and values), as sent on the wire or read by the SDK. */
const wireSize = (item: WireItem): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
const plainItemSize = (item: PlainItem): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + plainSize(value), 0);

const INDEX_KEYS = [...REGISTRY_TABLE.indexes, ...AUDIT_TABLE.indexes].map(({ partitionKey, sortKey }) => [
  partitionKey.name,
  sortKey.name,
]);

const indexesHolding = (item: PlainItem) =>
  INDEX_KEYS.filter((names) => names.every((name) => item[name] !== undefined)).length;

const readUnits = (size: number) => Math.max(1, Math.ceil(size / 4096));
const writeUnits = (size: number) => Math.max(1, Math.ceil(size / 1024));

interface Written {
  table: string;
  /** The item as put, when the request gives it whole. */
  item?: WireItem;
  key?: Record<string, unknown>;
  /** Checked, not written: no index write. */
  checkOnly?: boolean;
}

const sameSortKey = (item: PlainItem, key: Record<string, unknown>) => item.sk === (key.sk as { S?: string }).S;

const partitionOf = (key: Record<string, unknown>) => {
  const pk = key.pk as { S?: string } | string;
  return typeof pk === 'string' ? pk : String(pk.S);
};

async function writeCost(written: Written, stored: StoredItem, factor: number): Promise<RequestUnits> {
  const item = written.item ?? (await stored(written.table, written.key!)) ?? {};
  const size = written.item ? wireSize(written.item) : plainItemSize(item);
  const indexes = written.checkOnly ? 0 : indexesHolding(item);
  const units = factor * writeUnits(size);
  return {
    readUnits: 0,
    writeUnits: units,
    indexWriteUnits: indexes * writeUnits(size),
    partitions: { [partitionOf(written.item ?? written.key!)]: { read: 0, write: units } },
  };
}

const TRANSACTION_KINDS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

function writesOf(operation: string, body: Body): Written[] {
  switch (operation) {
    case 'PutItem':
      return [{ table: String(body.TableName), item: body.Item as WireItem }];
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ table: String(body.TableName), key: body.Key as Record<string, unknown> }];
    case 'TransactWriteItems':
      return (body.TransactItems as Record<string, Body>[]).map((entry) => {
        const kind = TRANSACTION_KINDS.find((name) => entry[name] !== undefined)!;
        const request = entry[kind]!;
        const table = String(request.TableName);
        return kind === 'Put'
          ? { table, item: request.Item as WireItem }
          : { table, key: request.Key as Record<string, unknown>, checkOnly: kind === 'ConditionCheck' };
      });
    case 'BatchWriteItem':
      return Object.entries(body.RequestItems as Record<string, Body[]>).flatMap(([table, requests]) =>
        requests.map((request) =>
          request.PutRequest
            ? { table, item: (request.PutRequest as Body).Item as WireItem }
            : { table, key: (request.DeleteRequest as Body).Key as Record<string, unknown> },
        ),
      );
    default:
      return [];
  }
}

export const NO_UNITS: RequestUnits = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, partitions: {} };

/** Units of several requests (or items) together, partition by partition. */
export const sumUnits = (units: readonly RequestUnits[]): RequestUnits =>
  units.reduce((total, next) => {
    const partitions = { ...total.partitions };
    for (const [pk, { read, write }] of Object.entries(next.partitions)) {
      const before = partitions[pk] ?? { read: 0, write: 0 };
      partitions[pk] = { read: before.read + read, write: before.write + write };
    }
    return {
      readUnits: total.readUnits + next.readUnits,
      writeUnits: total.writeUnits + next.writeUnits,
      indexWriteUnits: total.indexWriteUnits + next.indexWriteUnits,
      partitions,
    };
  }, NO_UNITS);

/** Reads of `units` (strongly consistent), on `partition` when the request names it by key. */
function reads(units: number, consistent: unknown, partition?: string): RequestUnits {
  const readUnits = consistent === true ? units : units / 2;
  return { ...NO_UNITS, readUnits, partitions: partition ? { [partition]: { read: readUnits, write: 0 } } : {} };
}

/** The units of one request, from its wire body and answer; `stored` gives what a write names only by key. */
export async function requestUnits(
  operation: string,
  body: Body,
  answer: Body,
  stored: StoredItem,
): Promise<RequestUnits> {
  switch (operation) {
    case 'GetItem':
    case 'BatchGetItem': {
      const asked: [string, KeysRead][] =
        operation === 'GetItem'
          ? [[String(body.TableName), { ...(body as Partial<KeysRead>), Keys: [body.Key as Record<string, unknown>] }]]
          : Object.entries(body.RequestItems as Record<string, KeysRead>);
      const found: Record<string, PlainItem[]> =
        operation === 'GetItem'
          ? { [String(body.TableName)]: answer.Item ? [answer.Item as PlainItem] : [] }
          : ((answer.Responses ?? {}) as Record<string, PlainItem[]>);
      const units = asked.flatMap(([table, { Keys, ConsistentRead, ProjectionExpression }]) =>
        Keys.map(async (key) => {
          // A projection returns part of the item, but DynamoDB bills the whole of it.
          const item = ProjectionExpression
            ? await stored(table, key)
            : found[table]?.find((candidate) => candidate.pk === partitionOf(key) && sameSortKey(candidate, key));
          return reads(readUnits(item ? plainItemSize(item) : 0), ConsistentRead, partitionOf(key));
        }),
      );
      return sumUnits(await Promise.all(units));
    }
    case 'Query':
    case 'Scan': {
      const size = ((answer.Items ?? []) as PlainItem[]).reduce((total, item) => total + plainItemSize(item), 0);
      return reads(readUnits(size), body.ConsistentRead);
    }
    default: {
      const factor = operation.startsWith('Transact') ? 2 : 1;
      return sumUnits(
        await Promise.all(writesOf(operation, body).map((written) => writeCost(written, stored, factor))),
      );
    }
  }
}
