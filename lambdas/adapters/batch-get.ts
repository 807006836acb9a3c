import { documents } from './clients';

type Item = Record<string, unknown>;

/** The most keys one BatchGetItem call may name. */
export const KEYS_PER_GET = 100;

/**
 * The items at `keys` (at most KEYS_PER_GET), read strongly consistent in one BatchGetItem call, plus a call
 * for any keys DynamoDB leaves unprocessed. Missing items are simply absent from the answer.
 */
export async function getItems(tableName: string, keys: Item[], projection?: string): Promise<Item[]> {
  const items: Item[] = [];
  let pending = keys;
  while (pending.length > 0) {
    const answer = await documents().batchGet({
      RequestItems: {
        [tableName]: { Keys: pending, ConsistentRead: true, ...(projection && { ProjectionExpression: projection }) },
      },
    });
    items.push(...(answer.Responses?.[tableName] ?? []));
    pending = (answer.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
  }
  return items;
}
