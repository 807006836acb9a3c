import type { QueryInput } from './aws/documents';
import { documents } from './clients';
import { decodeCursor, encodeCursor } from '../ports/cursor';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

/** Where each shard's query stands: not started, after this key, or exhausted. */
type ShardPositions = (Key | null | 'done')[];

export interface ShardedPageOptions {
  limit: number;
  cursor?: string;
  /** The attribute the shards are each sorted by, which the merge orders by too. */
  sortKey: string;
  /** The key a query resumes after this item from (the table's key, plus the index's when querying one). */
  keyOf: (item: Item) => Key;
  /** Newest (highest sort key) first. */
  descending?: boolean;
}

const isKey = (value: unknown): value is Key => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One page of items spread over shard partitions, merged in sort-key order as if they were one partition.
 * `shards[n]` is the n-th shard's query; the cursor records where each shard stands, so a page never
 * repeats or skips an item however the shards interleave.
 */
export async function shardedPage(
  tableName: string,
  shards: Omit<QueryInput, 'TableName' | 'ExclusiveStartKey'>[],
  { limit, cursor, sortKey, keyOf, descending = false }: ShardedPageOptions,
): Promise<{ items: Item[]; cursor?: string }> {
  const isPositions = (value: unknown): value is ShardPositions =>
    Array.isArray(value) &&
    value.length === shards.length &&
    value.every((p) => p === null || p === 'done' || isKey(p));
  const positions = decodeCursor(cursor, isPositions) ?? shards.map(() => null);
  const fetched = await Promise.all(
    shards.map(async (query, shard) => {
      const position = positions[shard]!;
      if (position === 'done') return { shard, items: [] as Item[], exhausted: true };
      const { items, lastKey } = await queryUpTo(tableName, limit, keyOf, {
        ...query,
        ScanIndexForward: !descending,
        ...(position && { ExclusiveStartKey: position }),
      });
      return { shard, items, exhausted: !lastKey };
    }),
  );
  const order = (a: Item, b: Item) => {
    const before = (a[sortKey] as string | number) < (b[sortKey] as string | number);
    return before === descending ? 1 : -1;
  };
  const merged = fetched
    .flatMap(({ shard, items }) => items.map((item) => ({ shard, item })))
    .sort((a, b) => order(a.item, b.item))
    .slice(0, limit);
  const next: ShardPositions = fetched.map(({ shard, items, exhausted }) => {
    const taken = merged.filter((entry) => entry.shard === shard);
    if (taken.length === items.length && exhausted) return 'done';
    const last = taken.length > 0 ? taken[taken.length - 1]!.item : undefined;
    return last ? keyOf(last) : positions[shard]!;
  });
  const more = next.some((position) => position !== 'done');
  return { items: merged.map(({ item }) => item), ...(more && { cursor: encodeCursor(next) }) };
}

/** Up to `limit` items of one query, and the key to go on from when there may be more. */
async function queryUpTo(
  tableName: string,
  limit: number,
  keyOf: (item: Item) => Key,
  input: Omit<QueryInput, 'TableName'>,
): Promise<{ items: Item[]; lastKey?: Key }> {
  const items: Item[] = [];
  let lastKey: Key | undefined = input.ExclusiveStartKey;
  do {
    const result = await documents().query({
      TableName: tableName,
      ...input,
      ExclusiveStartKey: lastKey,
      Limit: limit,
    });
    items.push(...(result.Items ?? []));
    lastKey = result.LastEvaluatedKey;
  } while (lastKey && items.length < limit);
  return { items: items.slice(0, limit), lastKey: items.length > limit ? keyOf(items[limit - 1]!) : lastKey };
}
