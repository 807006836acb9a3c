import { documents } from './clients';
import { decodeCursor, encodeCursor } from '../ports/cursor';

type Item = Record<string, unknown>;

const isKey = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Equality filters on top-level attributes, e.g. `{ state: 'completed', createdBy: arn }`; undefined ones are left out. */
export type Equalities = Record<string, string | undefined>;

/**
 * Records of one kind (batches, jobs) newest first, from the byKind index (`listKind`, sorted by id, a ULID).
 * Only such records carry `listKind`, and they change a few times in their life, so the index stays small.
 */
export async function listByKind(
  tableName: string,
  kind: string,
  { limit, cursor, where = {} }: { limit: number; cursor?: string; where?: Equalities },
): Promise<{ items: Item[]; cursor?: string }> {
  const values: Record<string, unknown> = { ':kind': kind };
  const names: Record<string, string> = {};
  const filters = Object.entries(where).flatMap(([attribute, value], n) => {
    if (value === undefined) return [];
    names[`#f${n}`] = attribute;
    values[`:f${n}`] = value;
    return [`#f${n} = :f${n}`];
  });
  const found: Item[] = [];
  let startKey = decodeCursor(cursor, isKey);
  do {
    const page = await documents().query({
      TableName: tableName,
      IndexName: 'byKind',
      KeyConditionExpression: 'listKind = :kind',
      ScanIndexForward: false,
      ExpressionAttributeValues: values,
      ...(filters.length > 0 && { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }),
      ExclusiveStartKey: startKey,
      Limit: limit,
    });
    found.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && found.length < limit);
  const items = found.slice(0, limit);
  if (found.length > limit) {
    const last = items[items.length - 1]!;
    startKey = { pk: last.pk, sk: last.sk, listKind: last.listKind, id: last.id };
  }
  return { items, ...(startKey && { cursor: encodeCursor(startKey) }) };
}
