import type { AuditEventView } from '../../../../lambdas/contract/views';
import { listAudit } from '../../api/registry';

/** The most events of one action the overview reads: beyond, its figures say they are incomplete. */
export const EVENT_CAP = 5000;

export interface CappedEvents {
  events: AuditEventView[];
  /** There were more than EVENT_CAP: the oldest are left out. */
  capped: boolean;
}

/** The events of `action` since `since`, newest first, page after page up to EVENT_CAP. */
export async function readEvents(action: string, since: string): Promise<CappedEvents> {
  const events: AuditEventView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAudit({ action, since }, cursor);
    events.push(...page.events);
    cursor = page.cursor;
  } while (cursor !== undefined && events.length < EVENT_CAP);
  return { events: events.slice(0, EVENT_CAP), capped: cursor !== undefined || events.length > EVENT_CAP };
}
