import { INVITATION_TYPES, type Invitation, type InvitationStatus, effectiveStatus } from './invitation';
import { addDays, isPast } from './time';

/** Every effective status (docs/SPEC.md §1.1), each counted under `status.<status>`. */
const STATUSES: readonly InvitationStatus[] = ['active', 'suspended', 'revoked', 'expired'];

/** The windows ahead of the count's time, in days, in which live invitations that expire are counted. */
const EXPIRY_WINDOW_DAYS = [7, 30] as const;

/** The summary key of the live invitations expiring within `days`, e.g. `expiringWithin7Days`. */
const expiringWithinKey = (days: number): string => `expiringWithin${days}Days`;

/**
 * The invitation audit's figures (docs/SPEC.md §4.4), counted one invitation at a time as the job walks them:
 * `invitations` (all), `status.<status>` by effective status at `now`, `type.<type>`, and the live (active)
 * invitations that expire within each of EXPIRY_WINDOW_DAYS of `now` (`expiringWithin7Days`,
 * `expiringWithin30Days`; the 30 days include the 7). Every key is there from the start, zero or not, and nothing
 * of an invitation is kept but these numbers.
 */
export function invitationCounter(now: Date) {
  const counts: Record<string, number> = { invitations: 0 };
  for (const status of STATUSES) counts[`status.${status}`] = 0;
  for (const type of INVITATION_TYPES) counts[`type.${type}`] = 0;
  const windows = EXPIRY_WINDOW_DAYS.map((days) => ({ key: expiringWithinKey(days), end: addDays(now, days) }));
  for (const { key } of windows) counts[key] = 0;
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  return {
    counts,
    count(invitation: Pick<Invitation, 'status' | 'type' | 'expiresAt'>): void {
      const status = effectiveStatus(invitation, now);
      bump('invitations');
      bump(`status.${status}`);
      bump(`type.${invitation.type}`);
      if (status !== 'active') return;
      for (const { key, end } of windows) if (isPast(invitation.expiresAt, end)) bump(key);
    },
  };
}
