import type { AuditEventView } from '../../../lambdas/contract/views';

/**
 * Device registrations and refusals per day (UTC, as the registry keeps time), from their audit events: the overview's
 * chart and table.
 */

export const ACTIVITY_DAYS = 14;
export const REGISTERED_ACTION = 'device.registered';
/** A registration the registry refused; its details name the reason (a refusal code) and the device. */
export const REFUSED_ACTION = 'device.refused';

const DAY_MS = 86_400_000;

/** The last `ACTIVITY_DAYS` days up to `now`'s, oldest first, as `YYYY-MM-DD`. */
export function activityDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: ACTIVITY_DAYS }, (_, index) =>
    new Date(today - (ACTIVITY_DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** The start of the first of `days`, as the API's `since` takes it. */
export const sinceOf = (days: readonly string[]): string => `${days[0]}T00:00:00Z`;

/** Events per day of `days`; events of other days are left out. */
export function perDay(days: readonly string[], events: readonly Pick<AuditEventView, 'at'>[]): number[] {
  const counts = days.map(() => 0);
  for (const { at } of events) {
    const index = days.indexOf(at.slice(0, 10));
    if (index >= 0) counts[index]!++;
  }
  return counts;
}

/** A refusal's reason, as its details give it. */
export const reasonOf = (event: Pick<AuditEventView, 'details'>): string => {
  const { reason } = event.details;
  return typeof reason === 'string' && reason !== '' ? reason : 'unknown';
};

/** Refusals per day of `days`, by reason, the reasons in alphabetical order. */
export function refusalsPerDay(
  days: readonly string[],
  events: readonly Pick<AuditEventView, 'at' | 'details'>[],
): [reason: string, counts: number[]][] {
  const reasons = [...new Set(events.map(reasonOf))].sort();
  return reasons.map((reason) => [
    reason,
    perDay(
      days,
      events.filter((event) => reasonOf(event) === reason),
    ),
  ]);
}
