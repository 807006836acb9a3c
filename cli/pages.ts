/** Follows `cursor` from page to page and gives every item as one page, without a cursor. */
export async function allPages<K extends string, T>(
  key: K,
  readPage: (cursor: string | undefined) => Promise<Record<K, T[]> & { cursor?: string }>,
  cursor?: string,
): Promise<Record<K, T[]>> {
  const items: T[] = [];
  do {
    const page = await readPage(cursor);
    items.push(...page[key]);
    cursor = page.cursor;
  } while (cursor);
  return { [key]: items } as Record<K, T[]>;
}
