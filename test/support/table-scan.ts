import { documents } from '../../lambdas/adapters/clients';

export type Item = Record<string, unknown>;

/** Every item of a table as stored, read with a consistent scan, in the order the scan gives them. */
export async function scanTable(tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents().scan({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey });
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
