import { invalid } from './errors';
import type { PolicyRestrictions } from './invitation';

/** The most entries each restriction list may hold, for a request and for what inheritance makes of it. */
export const RESTRICTION_LIST_LIMITS = {
  templateWhitelist: 100,
  templateBlacklist: 100,
  maxInstanceTypes: 100,
  forbiddenRegions: 50,
} as const;

type ListField = keyof typeof RESTRICTION_LIST_LIMITS;

/** Allow-lists narrow by intersection; deny-lists by union; caps by taking the smaller (docs/SPEC.md §3.3). */
const ALLOW_LISTS = ['templateWhitelist', 'maxInstanceTypes'] as const satisfies readonly ListField[];
const DENY_LISTS = ['templateBlacklist', 'forbiddenRegions'] as const satisfies readonly ListField[];
const CAPS = ['maxHourlyCost', 'maxDailyBudget'] as const;

const NAMED_IN_A_NOTE = 5;

/** `a, b, c` — at most NAMED_IN_A_NOTE of them, then how many more. */
function listed(values: readonly string[]): string {
  const named = values.slice(0, NAMED_IN_A_NOTE).join(', ');
  return values.length > NAMED_IN_A_NOTE ? `${named} and ${values.length - NAMED_IN_A_NOTE} more` : named;
}

/**
 * A child's policy restrictions narrowed by its parent's, so none of the parent's limits can be dropped
 * below it, with one note per change. A union longer than its list's limit is refused, naming the field.
 */
export function narrowRestrictions(
  child: PolicyRestrictions | undefined,
  parent: PolicyRestrictions | undefined,
): { value?: PolicyRestrictions; notes: string[] } {
  if (!parent) return { ...(child && { value: child }), notes: [] };
  const value: PolicyRestrictions = { ...child };
  const notes: string[] = [];
  for (const field of ALLOW_LISTS) {
    const inherited = parent[field];
    if (inherited === undefined) continue;
    const asked = child?.[field];
    if (asked === undefined) {
      value[field] = [...inherited];
      notes.push(`policyRestrictions.${field} set to the parent invitation's list`);
      continue;
    }
    const kept = asked.filter((entry) => inherited.includes(entry));
    value[field] = kept;
    const dropped = asked.filter((entry) => !inherited.includes(entry));
    if (dropped.length > 0) {
      notes.push(`policyRestrictions.${field}: ${listed(dropped)} removed, not in the parent invitation's list`);
    }
  }
  for (const field of DENY_LISTS) {
    const inherited = parent[field];
    if (inherited === undefined) continue;
    const asked = child?.[field] ?? [];
    const added = inherited.filter((entry) => !asked.includes(entry));
    if (added.length === 0) continue;
    const union = [...asked, ...added];
    if (union.length > RESTRICTION_LIST_LIMITS[field]) {
      throw invalid(
        `policyRestrictions.${field}`,
        `with the parent invitation's entries it would hold ${union.length}, more than ${RESTRICTION_LIST_LIMITS[field]}`,
      );
    }
    value[field] = union;
    notes.push(`policyRestrictions.${field}: ${listed(added)} added from the parent invitation`);
  }
  for (const field of CAPS) {
    const inherited = parent[field];
    if (inherited === undefined) continue;
    const asked = child?.[field];
    if (asked !== undefined && asked <= inherited) continue;
    value[field] = inherited;
    notes.push(
      asked === undefined
        ? `policyRestrictions.${field} set to ${inherited}: the parent invitation's limit`
        : `policyRestrictions.${field} lowered from ${asked} to ${inherited}: the parent invitation's limit`,
    );
  }
  return { value, notes };
}
