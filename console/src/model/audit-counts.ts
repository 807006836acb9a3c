import { INVITATION_TYPES, type InvitationStatus } from '../../../lambdas/domain/invitation';

/**
 * The invitation counts of an `invitation-audit` job's summary: `status.<status>` and `type.<type>` for every
 * invitation by its effective status and type, and the live ones expiring within 7 and 30 days.
 */

export const EXPIRING_KEYS = { within7Days: 'expiringWithin7Days', within30Days: 'expiringWithin30Days' } as const;

export interface InvitationCounts {
  byStatus: [status: string, count: number][];
  byType: [type: string, count: number][];
  expiring: { within7Days?: number; within30Days?: number };
}

const STATUS_ORDER = ['active', 'suspended', 'revoked', 'expired'] as const satisfies readonly InvitationStatus[];

/** The figures under `prefix`, in `order` (any other after them, alphabetically): summaries keep no order. */
function withPrefix(
  summary: Record<string, number | string>,
  prefix: string,
  order: readonly string[],
): [string, number][] {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.entries(summary)
    .flatMap(([key, value]): [string, number][] =>
      key.startsWith(prefix) && typeof value === 'number' ? [[key.slice(prefix.length), value]] : [],
    )
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

const numberAt = (summary: Record<string, number | string>, key: string): number | undefined => {
  const value = summary[key];
  return typeof value === 'number' ? value : undefined;
};

/** The counts a summary holds; a summary from before the counts existed holds none of them. */
export function invitationCounts(summary: Record<string, number | string> = {}): InvitationCounts {
  return {
    byStatus: withPrefix(summary, 'status.', STATUS_ORDER),
    byType: withPrefix(summary, 'type.', INVITATION_TYPES),
    expiring: {
      within7Days: numberAt(summary, EXPIRING_KEYS.within7Days),
      within30Days: numberAt(summary, EXPIRING_KEYS.within30Days),
    },
  };
}
