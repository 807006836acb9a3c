import type { AuditEvent } from './audit';

const DAY_MS = 86_400_000;

/** The UTC day before `day` (both `YYYY-MM-DD`). */
export const dayBefore = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** Where a day's archive lives under the audit-log prefix: `YYYY/MM/DD.ndjson`. */
export const archivePath = (day: string): string => `${day.replaceAll('-', '/')}.ndjson`;

/**
 * One event as an NDJSON line, its fields always in the same order (the event's, then details by name),
 * so archiving the same events again writes the same bytes whatever order the table hands attributes back.
 */
export function archiveLine(event: AuditEvent): string {
  const { eventId, at, actor, action, targetId, details, requestId, sourceIp } = event;
  const sortedDetails = Object.fromEntries(Object.entries(details).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ eventId, at, actor, action, targetId, details: sortedDetails, requestId, sourceIp })}\n`;
}
