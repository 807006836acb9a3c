import type { AuditEventView } from '../../../../lambdas/contract/views';
import { type AuditFilters, listAudit } from '../../api/registry';
import { usePages } from '../../hooks/use-pages';
import { targetHref } from '../../model/audit-targets';
import { LoadMore } from '../../ui/load-more';
import { Time } from '../../ui/time';

/** Audit events matching `filters`, newest first, a page at a time. */
export function AuditTable({ filters, caption }: { filters: AuditFilters; caption: string }) {
  const pages = usePages(async (cursor) => {
    const page = await listAudit(filters, cursor);
    return { items: page.events, cursor: page.cursor };
  }, JSON.stringify(filters));
  return (
    <>
      {!pages.loading && !pages.error && pages.items.length === 0 && <p>No events.</p>}
      {pages.items.length > 0 && (
        <table class="audit">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((event) => (
              <EventRow key={event.eventId} event={event} />
            ))}
          </tbody>
        </table>
      )}
      <LoadMore pages={pages} what="events" />
    </>
  );
}

const detailText = (value: AuditEventView['details'][string]): string =>
  Array.isArray(value) ? value.join(', ') || 'none' : String(value);

function EventRow({ event }: { event: AuditEventView }) {
  const target = targetHref(event);
  return (
    <tr>
      <td>
        <Time value={event.at} />
      </td>
      <td>{event.action}</td>
      <td class="wrap">{event.actor}</td>
      <td class="wrap">{target ? <a href={target}>{event.targetId}</a> : event.targetId}</td>
      <td class="wrap">
        {Object.entries(event.details)
          .map(([key, value]) => `${key}: ${detailText(value)}`)
          .join('; ')}
      </td>
    </tr>
  );
}
