import type { Command, Option } from 'commander';
import { pageLimitOption } from '../flags';
import { allPages } from '../pages';
import type { OpenSession } from '../session';

type Page<K extends string, T> = Record<K, T[]> & { cursor?: string };

interface ListOptions {
  limit?: number;
  cursor?: string;
  all?: boolean;
  [filter: string]: unknown;
}

/**
 * A `list` command of a group: `filter` narrows it, `--limit`/`--cursor` page it, `--all` follows every page
 * of `GET path` and shows the `key` items together.
 */
export function addListCommand<K extends string, T>(
  group: Command,
  open: OpenSession,
  spec: { key: K; path: string; description: string; filter: Option; render: (page: Page<K, T>) => string },
): void {
  group
    .command('list')
    .description(spec.description)
    .addOption(spec.filter)
    .addOption(pageLimitOption(spec.key))
    .option('--cursor <cursor>', 'continue a listing where the previous page ended')
    .option('--all', 'follow every page')
    .action(async ({ all, limit, cursor: start, ...filters }: ListOptions, command: Command) => {
      const session = open(command);
      const query = { ...(filters as Record<string, string | undefined>), limit: limit?.toString() };
      const readPage = (cursor: string | undefined) =>
        session.client.admin<Page<K, T>>({ method: 'GET', path: spec.path, query: { ...query, cursor } });
      const page = all ? ((await allPages(spec.key, readPage, start)) as Page<K, T>) : await readPage(start);
      session.show(page, spec.render);
    });
}
