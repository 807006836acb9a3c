import { invalid } from '../domain/errors';
import type { AuditPage } from '../contract/views';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

/** Reads the audit log only: this function has no access to the registry itself. */
export const handler = httpFunction('audit', {
  'GET /audit': async ({ query, deps }) => {
    const { limit, cursor, ...filter } = query;
    if (filter.since && filter.until && Date.parse(filter.since) > Date.parse(filter.until)) {
      throw invalid('since', 'must not be after until');
    }
    const page: AuditPage = await deps.auditLog.list(filter, limit ?? DEFAULT_PAGE, cursor);
    return { body: page };
  },
});
